/**
 * The embedded database end to end: served over TCP, migrated with the real
 * migrations (PL/pgSQL triggers included), used through Prisma and a pg pool,
 * and still there after a restart on the same folder.
 */
import { randomUUID } from "node:crypto";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyMigrations, ensureRuntimeRole, MIGRATIONS_DIR } from "../../prisma/migrate";
import { PrismaClient } from "../generated/prisma/client";
import { startEmbeddedPostgres } from "./embedded-postgres";
import type { EmbeddedPostgres } from "./embedded-postgres";
import { sendStatementsUnnamed } from "./unnamed-statements";

const SLOW = 180_000; // PGlite boots a WebAssembly Postgres and applies every migration: seconds, up to minutes on a loaded machine
const sha = "0".repeat(64);

/** A port nobody listens on, so the test never collides with a running dev server on 54329. */
async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe("startEmbeddedPostgres", () => {
  let dataDir: string;
  let port: number;
  let server: EmbeddedPostgres | undefined;
  const subjectId = randomUUID();
  const eventId = randomUUID();

  beforeAll(async () => {
    dataDir = path.join(await mkdtemp(path.join(tmpdir(), "accord-pglite-")), "data");
    port = await freePort();
  });

  afterAll(async () => {
    await server?.stop();
    if (dataDir) await rm(path.dirname(dataDir), { recursive: true, force: true });
  }, SLOW);

  it(
    "serves a database that the migrations, Prisma and the triggers work on",
    { timeout: SLOW },
    async () => {
      server = await startEmbeddedPostgres({ dataDir, port, maxConnections: 24 });
      expect(server.url).toBe(`postgres://postgres@127.0.0.1:${port}/postgres`);

      // Every migration folder, in order: the list grows with each migration anyone adds.
      const folders = (await readdir(MIGRATIONS_DIR, { withFileTypes: true }))
        .filter((entry) => entry.isDirectory())
        .map((entry) => entry.name)
        .sort();
      await ensureRuntimeRole(server.url, "accord_app");
      const { applied } = await applyMigrations(server.url, undefined, { runtimeRole: "accord_app" });
      expect(applied).toEqual(folders);
      expect(applied.slice(0, 2)).toEqual(["20261129000000_init", "20261129000100_integrity_triggers"]);

      const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: server.url }) });
      try {
        await prisma.user.create({
          data: { id: subjectId, email: "embedded@example.test", passwordHash: "x" },
        });
        const version = await prisma.agreementVersion.create({
          data: {
            title: "Terms",
            bodyMarkdown: "# Terms",
            bodySha256: sha,
            purposes: {
              create: [{ key: "essential", name: "Essential", description: "Needed", noticeSha256: sha }],
            },
          },
        });
        await prisma.agreementVersion.update({
          where: { id: version.id },
          data: { number: 1, publishedAt: new Date() },
        });
        await prisma.consentEvent.create({
          data: {
            id: eventId,
            subjectId,
            seq: 1,
            action: "AGREEMENT_ACCEPTED",
            versionId: version.id,
            versionNumber: 1,
            noticeSha256: sha,
            method: "WEB",
            recordedAt: new Date(),
            idempotencyKey: "first",
            prevHash: sha,
            hash: sha,
          },
        });

        const event = await prisma.consentEvent.findUniqueOrThrow({ where: { id: eventId } });
        expect(event).toMatchObject({ subjectId, seq: 1, action: "AGREEMENT_ACCEPTED" });
        expect(typeof event.txid).toBe("bigint"); // the pg_current_xact_id() default works on PGlite

        await expect(
          prisma.consentEvent.update({ where: { id: eventId }, data: { locale: "fr" } }),
        ).rejects.toThrow("consent_events is append-only: UPDATE is not allowed");
        await expect(prisma.consentEvent.delete({ where: { id: eventId } })).rejects.toThrow(
          "consent_events is append-only: DELETE is not allowed",
        );
        await expect(
          prisma.agreementVersion.update({ where: { id: version.id }, data: { title: "Changed" } }),
        ).rejects.toThrow("agreement version 1 is published and immutable");
      } finally {
        await prisma.$disconnect();
      }
    },
  );

  it("serves a pool of 10 connections running 20 queries at once", { timeout: SLOW }, async () => {
    const pool = new pg.Pool({ connectionString: server?.url, max: 10 });
    try {
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          pool.query<{ id: string }>(
            "INSERT INTO audit_log (action, details) VALUES ('test.concurrent', $1) RETURNING id",
            [{ i }],
          ),
        ),
      );
      expect(new Set(results.map((result) => result.rows[0]?.id)).size).toBe(20);
      expect(pool.totalCount).toBe(10); // every connection was accepted, none reset

      const { rows } = await pool.query<{ count: number }>(
        "SELECT count(*)::int AS count FROM audit_log WHERE action = 'test.concurrent'",
      );
      expect(rows[0]?.count).toBe(20);
      // The raw SQLSTATE, for callers that match on codes (see the triggers migration).
      await expect(pool.query("DELETE FROM audit_log")).rejects.toMatchObject({ code: "ZA001" });
    } finally {
      await pool.end();
    }
  });

  it(
    "runs named prepared statements from several connections once they are sent unnamed",
    { timeout: SLOW },
    async () => {
      // Every connection shares PGlite's one backend session: the second connection's
      // PREPARE of the same name collides. rate-limiter-flexible names its statements.
      const named = (pool: pg.Pool) =>
        Promise.all(
          Array.from({ length: 6 }, () =>
            pool.query({ name: "accord-named-check", text: "SELECT 1 AS one" }),
          ),
        );
      const plain = new pg.Pool({ connectionString: server?.url, max: 3 });
      const fixed = new pg.Pool({ connectionString: server?.url, max: 3 });
      sendStatementsUnnamed(fixed);
      try {
        await expect(named(plain)).rejects.toMatchObject({ code: "42P05" });
        const results = await named(fixed);
        expect(results.map((result) => result.rows[0])).toEqual(Array(6).fill({ one: 1 }));
      } finally {
        await plain.end();
        await fixed.end();
      }
    },
  );

  it(
    "runs every connection as the runtime role after SET ROLE, which no connection can undo by accident",
    { timeout: SLOW },
    async () => {
      // What npm start does (scripts/serve.ts): one SET ROLE in the one backend session.
      await server?.exec(`SET ROLE "accord_app"`);
      const pool = new pg.Pool({ connectionString: server?.url, max: 3 });
      try {
        const roles = await Promise.all(
          [1, 2, 3].map(() => pool.query<{ role: string }>("SELECT current_user AS role")),
        );
        expect(roles.map((r) => r.rows[0]?.role)).toEqual(["accord_app", "accord_app", "accord_app"]);
        await expect(pool.query("UPDATE consent_events SET locale = 'fr'")).rejects.toMatchObject({
          code: "42501",
        });
        await expect(
          pool.query("ALTER TABLE consent_events DISABLE TRIGGER consent_events_append_only"),
        ).rejects.toMatchObject({ code: "42501" });
        // What does NOT hold on PGlite: the session began as the superuser, so a
        // connection that asks can switch back (docs/deployment.md says so).
        const client = await pool.connect();
        await client.query("RESET ROLE");
        expect((await client.query("SELECT current_user AS role")).rows[0]?.role).toBe("postgres");
        await client.query(`SET ROLE "accord_app"`);
        client.release();
      } finally {
        await pool.end();
        await server?.exec("RESET ROLE");
      }
    },
  );

  it("keeps the data across a restart on the same folder", { timeout: SLOW }, async () => {
    await server?.stop();
    server = await startEmbeddedPostgres({ dataDir, port, maxConnections: 24 });

    expect(await applyMigrations(server.url)).toEqual({ applied: [] });
    const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: server.url }) });
    try {
      expect(await prisma.user.findUnique({ where: { id: subjectId } })).toMatchObject({
        email: "embedded@example.test",
      });
      expect(await prisma.consentEvent.count({ where: { id: eventId } })).toBe(1);
      expect(await prisma.auditLogEntry.count({ where: { action: "test.concurrent" } })).toBe(20);
      await expect(prisma.consentEvent.deleteMany({})).rejects.toThrow("consent_events is append-only");
    } finally {
      await prisma.$disconnect();
    }
  });

  it("reports a port that is already taken", { timeout: SLOW }, async () => {
    const otherDir = path.join(path.dirname(dataDir), "other");
    await expect(startEmbeddedPostgres({ dataDir: otherDir, port })).rejects.toThrow(/port is in use/);
  });
});
