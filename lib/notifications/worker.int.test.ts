import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { simpleParser } from "mailparser";
import { usePrivateAppDatabase } from "@/tests/helpers/private-app-database";
import { startMailCatcher, type MailCatcher } from "@/tests/helpers/mail-catcher";
import { createAdminContext } from "@/tests/helpers/admin-context";

let smtp: MailCatcher;
let smtpUrl: string;
let received: MailCatcher["received"];
/** Recipients the server refuses, and with which reply code. */
const refuse = new Map<string, number>();

let db: Awaited<ReturnType<typeof usePrivateAppDatabase>>;
let worker: typeof import("./worker");
let mailer: typeof import("./mailer");
let lib: typeof import("@/lib/db");
let publish: typeof import("@/lib/agreements/publish");
let drafts: typeof import("@/lib/agreements/drafts");
let admin: import("@/lib/agreements/drafts").AdminContext;

const DAY = 86_400_000;
let at = new Date("2031-01-10T09:00:00.000Z");
const clock = () => at;

beforeAll(async () => {
  smtp = await startMailCatcher({ refuse });
  smtpUrl = smtp.url;
  received = smtp.received;

  db = await usePrivateAppDatabase();
  [worker, mailer, lib, publish, drafts] = await Promise.all([
    import("./worker"),
    import("./mailer"),
    import("@/lib/db"),
    import("@/lib/agreements/publish"),
    import("@/lib/agreements/drafts"),
  ]);
  admin = await createAdminContext({ ipTruncated: "198.51.100.0", userAgent: "vitest" });
});

afterAll(async () => {
  await db?.release();
  await smtp?.close();
});

beforeEach(() => {
  received.length = 0;
  refuse.clear();
});

/** Adds users with plain inserts (their password hash is irrelevant here). */
async function addUsers(count: number, prefix: string): Promise<string[]> {
  const { rows } = await lib.pool.query<{ email: string }>(
    `INSERT INTO users (id, email, password_hash) SELECT gen_random_uuid(), $1 || i || '@int.accord.test', 'x'
     FROM generate_series(1, $2::int) i RETURNING email`,
    [`${prefix}-${randomUUID().slice(0, 8)}-`, count],
  );
  return rows.map((r) => r.email);
}

/** Publishes a material version; returns its run id. Earlier runs are marked sent so each test sees only its own. */
async function publishMaterial(summary: string) {
  await lib.pool.query(`UPDATE notifications SET status = 'SENT' WHERE status <> 'SENT'`);
  const draft = await drafts.createDraft(admin);
  if (!draft.ok) throw new Error(draft.message);
  at = new Date(at.getTime() + 30 * DAY);
  const result = await publish.publishVersion(
    admin,
    {
      versionId: draft.data.id,
      effectiveDate: new Date(at.getTime() + 8 * DAY).toISOString().slice(0, 10),
      lastUpdated: at.toISOString().slice(0, 10),
      changeSummary: summary,
      material: true,
    },
    { at, noticePeriodDays: 7 },
  );
  if (!result.ok) throw new Error(result.message);
  return result.data;
}

const statusCounts = async (runId: string) => {
  const { rows } = await lib.pool.query<{ status: string; n: number }>(
    `SELECT status, count(*)::int AS n FROM notifications WHERE run_id = $1 GROUP BY status`,
    [runId],
  );
  return Object.fromEntries(rows.map((r) => [r.status, r.n]));
};

describe("the notification worker", () => {
  it("sends each queued email over SMTP: summary, effective date and diff link", async () => {
    const emails = await addUsers(5, "smtp");
    const published = await publishMaterial("We now keep call recordings for 30 days.");
    const report = await worker.drainQueue({
      mailer: mailer.createMailer({ smtpUrl }),
      clock,
      appUrl: "https://accord.example",
    });
    expect(report.sent).toBe(published.recipients);
    expect(await statusCounts(published.notificationRunId!)).toEqual({ SENT: published.recipients });

    const [mail] = smtp.to(emails[0]!);
    expect(mail).toBeDefined();
    const effective = published.effectiveAt.toISOString().slice(0, 10);
    expect(mail!.subject).toMatch(/^Changes to the User Privacy Agreement take effect on /);
    expect(mail!.text).toContain("We now keep call recordings for 30 days.");
    expect(mail!.text).toContain(`(${effective})`);
    expect(mail!.text).toContain(
      `https://accord.example/agreement/diff?from=${published.number - 1}&to=${published.number}`,
    );
    expect(mail!.html).toContain(
      `href="https://accord.example/agreement/diff?from=${published.number - 1}&amp;to=${published.number}"`,
    );
    const id = mail!.headers.get("x-accord-notification");
    expect(id).toMatch(/^\d+$/);
    // The Message-ID comes from the outbox row, so a resend carries the same one.
    expect(mail!.messageId).toBe(`<notification-${String(id)}@localhost>`);
    expect(mailer.notificationMessageId(String(id), "accord.example")).toBe(
      `<notification-${String(id)}@accord.example>`,
    );
  });

  it("writes each email in its recipient's language, with the version's translated title", async () => {
    const [english] = await addUsers(1, "lang-en");
    const [chinese] = await addUsers(1, "lang-zh");
    await lib.pool.query(`UPDATE users SET locale = 'zh-CN' WHERE email = $1`, [chinese]);
    const published = await publishMaterial("We now keep call recordings for 30 days.");
    await worker.drainQueue({
      mailer: mailer.createMailer({ smtpUrl }),
      clock,
      appUrl: "https://accord.example",
    });
    const [inEnglish] = smtp.to(english!);
    const [inChinese] = smtp.to(chinese!);
    expect(inEnglish!.subject).toMatch(/^Changes to the User Privacy Agreement take effect on /);
    expect(inChinese!.subject).toMatch(/^用户隐私协议的变更将于 \d{4}年\d{1,2}月\d{1,2}日 生效$/);
    expect(inChinese!.text).toContain(`第 ${published.number} 版将于`);
    expect(inChinese!.text).toContain("We now keep call recordings for 30 days.");
  });

  it("is safe with several workers: every email goes out exactly once", async () => {
    await addUsers(60, "many");
    const published = await publishMaterial("Several workers.");
    const reports = await Promise.all(
      [1, 2, 3, 4].map(() =>
        worker.drainQueue({ mailer: mailer.createMailer({ smtpUrl }), clock, batchSize: 7 }),
      ),
    );
    expect(reports.reduce((sum, r) => sum + r.sent, 0)).toBe(published.recipients);
    expect(reports.filter((r) => r.sent > 0).length).toBeGreaterThan(1);
    const ids = received.map((m) => m.headers.get("x-accord-notification"));
    expect(ids).toHaveLength(published.recipients);
    expect(new Set(ids).size).toBe(published.recipients);
  });

  it("retries a temporary failure with exponential backoff, then gives up as FAILED", async () => {
    const [flaky, bad] = await addUsers(2, "flaky");
    refuse.set(flaky!, 451);
    refuse.set(bad!, 550);
    const published = await publishMaterial("Retries.");
    const options = { mailer: mailer.createMailer({ smtpUrl }), clock, baseDelayMs: 60_000, maxAttempts: 3 };
    const row = async (email: string) =>
      (
        await lib.pool.query<{
          status: string;
          attempts: number;
          next_attempt_at: Date;
          last_error: string | null;
        }>(`SELECT status, attempts, next_attempt_at, last_error FROM notifications WHERE email = $1`, [
          email,
        ])
      ).rows[0]!;

    await worker.drainQueue(options);
    // 550 is permanent: failed at once. 451 is temporary: retried 1 minute later.
    expect(await row(bad!)).toMatchObject({
      status: "FAILED",
      attempts: 1,
      last_error: expect.stringContaining("No such mailbox"),
    });
    expect(await row(flaky!)).toMatchObject({
      status: "PENDING",
      attempts: 1,
      next_attempt_at: new Date(at.getTime() + 60_000),
    });

    // Not due yet: nothing is claimed.
    expect((await worker.drainQueue(options)).claimed).toBe(0);

    at = new Date(at.getTime() + 60_000);
    await worker.drainQueue(options);
    expect(await row(flaky!)).toMatchObject({
      status: "PENDING",
      attempts: 2,
      next_attempt_at: new Date(at.getTime() + 120_000),
    });

    at = new Date(at.getTime() + 120_000);
    await worker.drainQueue(options);
    expect(await row(flaky!)).toMatchObject({ status: "FAILED", attempts: 3 });

    const runs = await import("./runs");
    const [run] = await runs.listNotificationRuns({
      versionId: (
        await lib.prisma.notificationRun.findUniqueOrThrow({ where: { id: published.notificationRunId! } })
      ).versionId,
    });
    expect(run).toMatchObject({
      total: published.recipients,
      failed: 2,
      sent: published.recipients - 2,
      pending: 0,
    });
  });

  it("reclaims the one small batch of a worker that died, once its lease runs out", async () => {
    await addUsers(20, "lease");
    const published = await publishMaterial("Lease.");
    const leaseMs = 15_000;
    // A worker claims its batch and dies before settling any of it.
    const dead = await worker.claimDue(8, at, leaseMs);
    expect(dead.rows).toHaveLength(8);
    const options = { mailer: mailer.createMailer({ smtpUrl }), clock, leaseMs };
    // Everything else goes out at once; the dead worker's 8 wait for its lease.
    expect((await worker.drainQueue(options)).sent).toBe(published.recipients - 8);
    at = new Date(at.getTime() + leaseMs - 1);
    expect((await worker.drainQueue(options)).claimed).toBe(0);
    at = new Date(at.getTime() + 2);
    expect((await worker.drainQueue(options)).sent).toBe(8);
    expect(await statusCounts(published.notificationRunId!)).toEqual({ SENT: published.recipients });
    expect(new Set(received.map((m) => m.messageId)).size).toBe(published.recipients);
  });

  it("does not reclaim rows whose worker renews its lease, and a worker that lost its lease cannot settle", async () => {
    await addUsers(2, "renew");
    const published = await publishMaterial("Renewal.");
    const leaseMs = 15_000;
    const { leasedTable, renewLease, settleLeased } = await import("@/lib/outbox/lease");
    const table = leasedTable("notifications");
    const slow = await worker.claimDue(2, at, leaseMs);
    expect(slow.rows).toHaveLength(2);
    const options = { mailer: mailer.createMailer({ smtpUrl }), clock, leaseMs };
    expect((await worker.drainQueue(options)).sent).toBe(published.recipients - 2);

    // Renewed 10 s in: 16 s after the claim its rows are still held.
    at = new Date(at.getTime() + 10_000);
    expect(await renewLease(lib.pool, table, slow.token, at)).toBe(2);
    at = new Date(at.getTime() + 6_000);
    expect((await worker.drainQueue(options)).claimed).toBe(0);

    // Not renewed again: another worker takes them over and sends them...
    at = new Date(at.getTime() + leaseMs);
    expect((await worker.drainQueue(options)).sent).toBe(2);
    // ...and the slow worker, waking up, cannot overwrite that outcome.
    const settled = await settleLeased(lib.pool, table, {
      id: slow.rows[0]!.id,
      token: slow.token,
      set: `status = 'FAILED'`,
    });
    expect(settled).toBe(false);
    expect(await statusCounts(published.notificationRunId!)).toEqual({ SENT: published.recipients });
  });

  it("without SMTP_URL writes each email as an .eml file", async () => {
    const dir = await mkdtemp(join(tmpdir(), "accord-mail-"));
    try {
      await addUsers(2, "eml");
      const published = await publishMaterial("Written to disk.");
      await worker.drainQueue({ mailer: mailer.createMailer({ smtpUrl: undefined, mailDir: dir }), clock });
      const files = (await readdir(dir)).filter((f) => f.endsWith(".eml"));
      expect(files).toHaveLength(published.recipients);
      const parsed = await simpleParser(await readFile(join(dir, files[0]!)));
      expect(parsed.text).toContain("Written to disk.");
      expect(parsed.from?.text).toContain("no-reply@accord.local");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("runWorkerLoop sends what is queued and stops when aborted", async () => {
    await addUsers(3, "loop");
    const published = await publishMaterial("Loop.");
    const controller = new AbortController();
    const silent = { info: () => {}, error: () => {} };
    const loop = worker.runWorkerLoop({
      signal: controller.signal,
      mailer: mailer.createMailer({ smtpUrl }),
      clock,
      idleMs: 20,
      log: silent,
    });
    await expect
      .poll(async () => (await statusCounts(published.notificationRunId!)).SENT ?? 0, { timeout: 20_000 })
      .toBe(published.recipients);
    controller.abort();
    await loop;
  });
});
