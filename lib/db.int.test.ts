import pg from "pg";
import { describe, expect, it } from "vitest";
import { pool } from "@/lib/db";

describe("the shared pool", () => {
  it("survives the server closing an idle connection, and reconnects", async () => {
    const client = await pool.connect();
    const port = (client as unknown as { connection: { stream: { localPort: number } } }).connection.stream
      .localPort;
    client.release();
    expect(pool.listenerCount("error")).toBeGreaterThan(0);

    const removed = new Promise((resolve) => pool.once("remove", resolve));
    const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();
    const { rows } = await admin.query<{ terminated: boolean }>(
      "SELECT pg_terminate_backend(pid) AS terminated FROM pg_stat_activity WHERE datname = current_database() AND client_port = $1",
      [port],
    );
    await admin.end();
    expect(rows).toEqual([{ terminated: true }]);
    await removed;

    const { rows: after } = await pool.query<{ one: number }>("SELECT 1 AS one");
    expect(after).toEqual([{ one: 1 }]);
  });
});
