/**
 * Fault test (finding 14 of issue 9): the worker is killed with SIGKILL after
 * the SMTP server accepted a message and before the outbox recorded it as
 * sent. After a restart the message goes out again (delivery is at least
 * once), with the same Message-ID, so the receiver can drop the repeat; and
 * only the dead worker's small batch waited, for its short lease.
 *
 * The worker is the real `npm run worker -- --once` (scripts/worker.ts) in a
 * child process. To stop it exactly between acceptance and commit, the test
 * holds a row lock on the message's outbox row from the moment the SMTP
 * server has the message until the worker's UPDATE is seen waiting for it;
 * then it kills the worker and ends its database session, so that UPDATE
 * never commits, as if the process had died a moment earlier.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { usePrivateAppDatabase } from "@/tests/helpers/private-app-database";
import { startMailCatcher, type MailCatcher } from "@/tests/helpers/mail-catcher";
import { createAdminContext } from "@/tests/helpers/admin-context";

const APP_NAME = `accord-crash-worker-${randomUUID().slice(0, 8)}`;
const LEASE_MS = 15_000; // the worker's default lease

let db: Awaited<ReturnType<typeof usePrivateAppDatabase>>;
let smtp: MailCatcher;
let owner: pg.Pool;
let dir: string;
let held: { client: pg.PoolClient; id: string } | undefined;
let holdNext = false;

beforeAll(async () => {
  smtp = await startMailCatcher({
    // The first message of the crash run: lock its outbox row before accepting it.
    beforeAccept: async (mail) => {
      if (!holdNext) return;
      holdNext = false;
      const id = String(mail.headers.get("x-accord-notification"));
      const client = await owner.connect();
      await client.query("BEGIN");
      await client.query("SELECT id FROM notifications WHERE id = $1 FOR UPDATE", [id]);
      held = { client, id };
    },
  });
  db = await usePrivateAppDatabase();
  owner = new pg.Pool({ connectionString: db.url, max: 3 });
  dir = await mkdtemp(path.join(tmpdir(), "accord-crash-"));
});

afterAll(async () => {
  await held?.client.query("ROLLBACK").catch(() => {});
  held?.client.release();
  await owner?.end();
  await db?.release();
  await smtp?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** `npm run worker -- --once` against the test database, as its own node process (its pid is the worker's). */
async function startWorker(clockOffsetMs = 0): Promise<ChildProcess> {
  const clockFile = path.join(dir, `clock-${clockOffsetMs}.json`);
  await writeFile(clockFile, JSON.stringify({ offsetMs: clockOffsetMs }));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: process.env.DATABASE_URL,
    SMTP_URL: smtp.url,
    APP_URL: "https://accord.example",
    PGAPPNAME: APP_NAME,
    // A test process may move its clock (lib/clock.ts): it stands for the lease running out.
    NODE_ENV: "test",
    ACCORD_TEST_BUILD: "1",
    ACCORD_CLOCK_FILE: clockFile,
  };
  const child = spawn(
    process.execPath,
    ["--import", "tsx", "--conditions=react-server", "scripts/worker.ts", "--once"],
    { env, stdio: ["ignore", "pipe", "pipe"] },
  );
  child.stdout?.resume();
  child.stderr?.resume();
  return child;
}

async function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
  const [code] = (await once(child, "exit")) as [number | null];
  return code;
}

describe("a worker killed between the SMTP server's acceptance and the outbox commit", () => {
  it("sends that message again after a restart, with the same Message-ID, and delays only its batch", async () => {
    const lib = await import("@/lib/db");
    const drafts = await import("@/lib/agreements/drafts");
    const publish = await import("@/lib/agreements/publish");
    const admin = await createAdminContext({ ipTruncated: "198.51.100.0", userAgent: "vitest" });
    await lib.pool.query(
      `INSERT INTO users (id, email, password_hash) SELECT gen_random_uuid(), 'crash-' || i || '@int.accord.test', 'x'
       FROM generate_series(1, 12) i`,
    );
    const draft = await drafts.createDraft(admin);
    if (!draft.ok) throw new Error(draft.message);
    // Queued 5 minutes ago: due for every worker below, whatever its clock.
    const at = new Date(Date.now() - 5 * 60_000);
    const published = await publish.publishVersion(
      admin,
      {
        versionId: draft.data.id,
        effectiveDate: new Date(at.getTime() + 8 * 86_400_000).toISOString().slice(0, 10),
        lastUpdated: at.toISOString().slice(0, 10),
        changeSummary: "Crash test.",
        material: true,
      },
      { at, noticePeriodDays: 7 },
    );
    if (!published.ok) throw new Error(published.message);
    const total = published.data.recipients;
    expect(total).toBeGreaterThan(8);

    // 1. The worker sends; the SMTP server accepts the first message; the
    //    worker's UPDATE of that row waits on the test's lock; SIGKILL.
    holdNext = true;
    const first = await startWorker();
    await expect
      .poll(
        async () =>
          (
            await owner.query(
              `SELECT count(*)::int AS n FROM pg_stat_activity
               WHERE application_name = $1 AND wait_event_type = 'Lock' AND query LIKE 'UPDATE notifications SET status%'`,
              [APP_NAME],
            )
          ).rows[0].n,
        { timeout: 60_000, interval: 50 },
      )
      .toBe(1);
    first.kill("SIGKILL");
    await exited(first);
    expect(first.signalCode).toBe("SIGKILL");
    // The process is gone; so is its session (Postgres would notice the closed
    // socket only once the lock is free, and could still commit the UPDATE).
    await owner.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1`, [
      APP_NAME,
    ]);
    await held!.client.query("ROLLBACK");
    held!.client.release();
    const heldId = held!.id;
    held = undefined;

    const status = async () =>
      Object.fromEntries(
        (
          await lib.pool.query<{ status: string; n: number }>(
            `SELECT status, count(*)::int AS n FROM notifications WHERE run_id = $1 GROUP BY status`,
            [published.data.notificationRunId],
          )
        ).rows.map((r) => [r.status, r.n]),
      );
    const accepted = smtp.received.length;
    const before = await status();
    // The accepted message is still "sending", with the rest of the dead worker's batch (at most 8).
    expect(before.SENDING).toBeGreaterThanOrEqual(1);
    expect(before.SENDING).toBeLessThanOrEqual(8);
    const stuck = await lib.pool.query<{ id: string }>(
      `SELECT id::text FROM notifications WHERE run_id = $1 AND status = 'SENDING'`,
      [published.data.notificationRunId],
    );
    expect(stuck.rows.map((r) => r.id)).toContain(heldId);

    // 2. Restarted at once: everything else goes out; the dead batch waits for
    //    its lease. (This worker's clock runs a minute behind, so a slow start
    //    on a loaded machine cannot make the lease look expired already.)
    const second = await startWorker(-60_000);
    expect(await exited(second)).toBe(0);
    expect(await status()).toEqual({ SENT: total - before.SENDING!, SENDING: before.SENDING });

    // 3. The lease (15 s) has run out: the dead batch goes out too.
    const third = await startWorker(LEASE_MS + 1_000);
    expect(await exited(third)).toBe(0);
    expect(await status()).toEqual({ SENT: total });

    // The receiver got the held message twice, with one Message-ID: dedupe by
    // Message-ID leaves exactly one copy of every notification.
    const copies = smtp.received.filter((m) => m.headers.get("x-accord-notification") === heldId);
    expect(copies).toHaveLength(2);
    expect(copies[0]!.messageId).toBe(`<notification-${heldId}@accord.example>`);
    expect(copies[1]!.messageId).toBe(copies[0]!.messageId);
    const ids = smtp.received.map((m) => m.messageId);
    expect(ids.length).toBeGreaterThan(total);
    expect(new Set(ids).size).toBe(total);
    expect(accepted).toBeGreaterThanOrEqual(1);
  });
});
