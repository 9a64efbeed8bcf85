// People's rights below the UI, on a real database as the runtime role:
// download my data, deregister (and cancel), erasure after the grace period,
// legal holds, and the retention purge. The erasure check is a query over
// every text column of every table, so a column added later cannot escape it.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { usePrivateAppDatabase } from "@/tests/helpers/private-app-database";
import { startMailCatcher, type MailCatcher } from "@/tests/helpers/mail-catcher";
import type { Actor } from "@/lib/auth/actor";

let db: Awaited<ReturnType<typeof usePrivateAppDatabase>>;
let smtp: MailCatcher;
let lib: typeof import("@/lib/db");
let users: typeof import("@/lib/users/create-user");
let auth: typeof import("@/lib/users/authenticate");
let deregistration: typeof import("@/lib/rights/deregister");
let holds: typeof import("@/lib/rights/holds");
let requests: typeof import("@/lib/rights/requests");
let desk: typeof import("@/lib/rights/desk");
let purge: typeof import("./purge");
let exporter: typeof import("@/lib/data-export/stream");
let worker: typeof import("@/lib/notifications/worker");
let mailer: typeof import("@/lib/notifications/mailer");
let rateLimit: typeof import("@/lib/auth/rate-limit");

const PASSWORD = "correct horse battery staple";
const APP_URL = "https://accord.example";
const DAY = 86_400_000;
const meta = { ip: "198.51.100.7", ipTruncated: "198.51.100.0", userAgent: "vitest" };

beforeAll(async () => {
  smtp = await startMailCatcher();
  db = await usePrivateAppDatabase();
  [lib, users, auth, deregistration, holds, requests, desk, purge, exporter, worker, mailer, rateLimit] =
    await Promise.all([
      import("@/lib/db"),
      import("@/lib/users/create-user"),
      import("@/lib/users/authenticate"),
      import("@/lib/rights/deregister"),
      import("@/lib/rights/holds"),
      import("@/lib/rights/requests"),
      import("@/lib/rights/desk"),
      import("./purge"),
      import("@/lib/data-export/stream"),
      import("@/lib/notifications/worker"),
      import("@/lib/notifications/mailer"),
      import("@/lib/auth/rate-limit"),
    ]);
});

afterAll(async () => {
  await db?.release();
  await smtp?.close();
});

beforeEach(() => {
  smtp.received.length = 0;
});

async function account(role: Actor["role"] = "USER"): Promise<Actor> {
  const created = await users.createUser({
    email: `${role.toLowerCase()}-${randomUUID()}@int.accord.test`,
    password: PASSWORD,
    role,
  });
  if (!created.ok) throw new Error(created.message);
  return created.data;
}

const send = () => worker.drainQueue({ mailer: mailer.createMailer({ smtpUrl: smtp.url }), appUrl: APP_URL });

/** A subject with consent events, a request with a note, sent mail and a failed sign-in. */
async function livedInAccount() {
  const user = await account();
  const admin = await account("ADMIN");
  const { acceptAgreement } = await import("@/lib/consent/accept-agreement");
  const { changePurposeConsent } = await import("@/lib/consent/change-purpose");
  const { getVersionInEffect } = await import("@/lib/agreements/versions");
  const version = (await getVersionInEffect())!;
  const consentMeta = { ipTruncated: "203.0.113.0", userAgent: `browser-${randomUUID()}`, locale: "en" };
  const accepted = await acceptAgreement({
    subjectId: user.id,
    versionId: version.id,
    shownSha256: version.bodySha256,
    method: "WEB",
    meta: consentMeta,
  });
  expect(accepted.ok).toBe(true);
  const granted = await changePurposeConsent({
    subjectId: user.id,
    purposeKey: "surveys",
    action: "grant",
    method: "WEB",
    meta: { ...consentMeta, gpc: false },
    idempotencyKey: `web:${randomUUID()}`,
  });
  expect(granted.ok).toBe(true);
  const message = `Please correct my phone number ${randomUUID()}`;
  const opened = await requests.openRightsRequest({ actor: user, meta }, { type: "CORRECTION", message });
  if (!opened.ok) throw new Error(opened.message);
  const request = await lib.prisma.rightsRequest.findUniqueOrThrow({
    where: { reference: opened.data.reference },
  });
  const note = `Called the user about ${randomUUID()}`;
  await desk.addRequestNote({ actor: admin, meta }, { requestId: request.id, body: note });
  // A sign-in attempt leaves rate-limit counters (taken before the password is checked).
  await rateLimit.signInThrottle(user.email, meta.ip);
  await send();
  const { passwordHash } = await lib.prisma.user.findUniqueOrThrow({
    where: { id: user.id },
    select: { passwordHash: true },
  });
  return {
    user,
    admin,
    message,
    note,
    passwordHash,
    userAgent: consentMeta.userAgent,
    reference: opened.data.reference,
  };
}

/** Every (table, column) of a text-like type whose value contains `needle`. */
async function columnsContaining(needle: string): Promise<string[]> {
  const { rows: columns } = await lib.pool.query<{ table_name: string; column_name: string }>(
    `SELECT table_name, column_name FROM information_schema.columns
     WHERE table_schema = 'public'
       AND (data_type IN ('text', 'character varying', 'character', 'json', 'jsonb', 'ARRAY')
            OR data_type = 'USER-DEFINED')
     ORDER BY table_name, column_name`,
  );
  expect(columns.length).toBeGreaterThan(40);
  const found: string[] = [];
  for (const { table_name, column_name } of columns) {
    const { rows } = await lib.pool.query(
      `SELECT 1 FROM "${table_name}" WHERE strpos("${column_name}"::text, $1) > 0 LIMIT 1`,
      [needle],
    );
    if (rows.length) found.push(`${table_name}.${column_name}`);
  }
  return found;
}

async function auditSteps(userId: string): Promise<string[]> {
  const { rows } = await lib.pool.query<{ action: string }>(
    `SELECT action FROM audit_log WHERE target_type = 'user' AND target_id = $1 ORDER BY id`,
    [userId],
  );
  return rows.map((row) => row.action);
}

async function readAll(stream: ReadableStream<Uint8Array>): Promise<string> {
  return new Response(stream).text();
}

describe("download my data", () => {
  it("holds the account, every event with a signed receipt, versions, notices, emails and requests", async () => {
    const { user, message, reference } = await livedInAccount();
    const stream = await exporter.streamPersonalData(user.id, { format: "json" });
    const archive = JSON.parse(await readAll(stream!));
    expect(archive).toMatchObject({
      format: "accord-personal-data",
      formatVersion: 1,
      account: { id: user.id, email: user.email, role: "USER" },
      versionsAccepted: [{ versionNumber: 1 }],
      noticesAccepted: [{ purposeKey: "surveys", versionNumber: 1 }],
      requests: [{ reference, type: "CORRECTION", message }],
      consentEventCount: 2,
    });
    expect(archive.consent).toEqual(
      expect.arrayContaining([expect.objectContaining({ purposeKey: "surveys", granted: true })]),
    );
    expect(archive.emails).toEqual([expect.objectContaining({ kind: "request-received", to: user.email })]);
    expect(archive.consentEvents.map((e: { action: string }) => e.action)).toEqual([
      "AGREEMENT_ACCEPTED",
      "PURPOSE_GRANTED",
    ]);
    const { verifyReceiptSignature } = await import("@/lib/ledger/receipt-jws");
    const { logSigner } = await import("@/lib/ledger/log/signing-key");
    const signer = logSigner();
    const { createPublicKey } = await import("node:crypto");
    for (const event of archive.consentEvents) {
      expect(event.receipt.evidence.hash).toBe(event.hash);
      expect(await verifyReceiptSignature(event.receipt, createPublicKey(signer.privateKey))).toBe(
        signer.keyId,
      );
    }

    const t = (key: string) => `«${key}»`;
    const html = await readAll((await exporter.streamPersonalData(user.id, { format: "html", t }))!);
    expect(html).toContain(user.email);
    expect(html).toContain(reference);
    expect(html.match(/href="\/api\/v1\/me\/receipts\//g)).toHaveLength(2);
    expect(html).toMatch(/<\/html>$/);
  });

  it("escapes what users wrote in the readable page", async () => {
    const user = await account();
    await requests.openRightsRequest(
      { actor: user, meta },
      { type: "QUESTION", message: "<script>alert(1)</script> is this stored?" },
    );
    const html = await readAll((await exporter.streamPersonalData(user.id, { format: "html", t: String }))!);
    expect(html).not.toContain("<script>");
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
  });
});

describe("deregistration", () => {
  it("needs the password, closes the account at once, emails how to cancel, and can be cancelled", async () => {
    const user = await account();
    const wrong = await deregistration.deregister(
      { actor: user, meta },
      { password: "not it", confirm: "on" },
    );
    expect(wrong).toMatchObject({ ok: false, fieldErrors: { password: ["That password is not right."] } });
    expect(await auth.findActiveUser(user.id)).not.toBeNull();

    const { createWebhookEndpoint } = await import("@/lib/webhooks/endpoints");
    const endpoint = await createWebhookEndpoint(
      { actor: await account("ADMIN"), meta },
      {
        url: "https://hooks.example.com/accord",
        description: "closures",
        eventTypes: ["subject.deregistered"],
      },
    );
    if (!endpoint.ok) throw new Error(endpoint.message);

    const closed = await deregistration.deregister(
      { actor: user, meta },
      { password: PASSWORD, confirm: "on" },
    );
    if (!closed.ok) throw new Error(closed.message);
    expect(closed.data.eraseAfter.getTime() - closed.data.closedAt.getTime()).toBe(15 * DAY);
    // Services holding the subject's data are told, once, by webhook.
    const hooks = await lib.pool.query<{ event_type: string; payload: { data: object } }>(
      `SELECT event_type, payload FROM webhook_deliveries WHERE endpoint_id = $1`,
      [endpoint.data.id],
    );
    expect(hooks.rows).toEqual([
      {
        event_type: "subject.deregistered",
        payload: expect.objectContaining({
          data: {
            subjectId: user.id,
            // Set when a service's id is linked to the account (docs/integration.md, Linked accounts).
            externalId: null,
            closedAt: closed.data.closedAt.toISOString(),
            eraseAfter: closed.data.eraseAfter.toISOString(),
          },
        }),
      },
    ]);
    expect(await auth.authenticate(user.email, PASSWORD)).toBeNull();
    expect(await auth.findActiveUser(user.id)).toBeNull();
    const closure = await lib.prisma.rightsRequest.findUniqueOrThrow({
      where: { reference: closed.data.reference },
    });
    expect(closure).toMatchObject({ type: "CLOSURE", status: "RECEIVED", subjectId: user.id });
    expect(closure.dueAt).toEqual(closed.data.eraseAfter);
    const again = await deregistration.deregister(
      { actor: user, meta },
      { password: PASSWORD, confirm: "on" },
    );
    expect(again).toMatchObject({ ok: false, code: "already_closed" });

    await send();
    const mails = smtp.received.filter((m) => m.to && "text" in m.to && m.to.text === user.email);
    expect(mails).toHaveLength(1);
    const mail = mails[0]!;
    expect(mail.subject).toBe("Your account is closed");
    expect(mail.text).toContain(closed.data.reference);
    expect(mail.text).toContain(`${APP_URL}/account/deregister/cancel`);

    const badCancel = await deregistration.cancelDeregistration(meta, {
      email: user.email,
      password: "nope",
    });
    const unknown = await deregistration.cancelDeregistration(meta, {
      email: `nobody-${randomUUID()}@int.accord.test`,
      password: PASSWORD,
    });
    // The same answer whether or not the account exists.
    expect(badCancel).toEqual(unknown);
    expect(badCancel).toMatchObject({ ok: false, code: "cannot_restore" });

    const cancelled = await deregistration.cancelDeregistration(meta, {
      email: user.email,
      password: PASSWORD,
    });
    expect(cancelled).toEqual({ ok: true, data: { reference: closed.data.reference } });
    expect(await auth.authenticate(user.email, PASSWORD)).toMatchObject({ id: user.id });
    expect(
      await lib.prisma.rightsRequest.findUniqueOrThrow({ where: { reference: closed.data.reference } }),
    ).toMatchObject({ status: "WITHDRAWN" });
    const steps = await lib.pool.query<{
      action: string;
      actor_email: string | null;
      user_agent: string | null;
    }>(`SELECT action, actor_email, user_agent FROM audit_log WHERE actor_id = $1 ORDER BY id`, [user.id]);
    expect(steps.rows.map((row) => row.action)).toEqual([
      "account.deregistered",
      "rights.request.opened",
      "rights.request.withdrawn",
      "account.restored",
    ]);
    // The subject is recorded by id alone: nothing the append-only log could never erase.
    expect(steps.rows.every((row) => row.actor_email === null && row.user_agent === null)).toBe(true);
  });

  it("refuses staff accounts", async () => {
    const admin = await account("ADMIN");
    const result = await deregistration.deregister(
      { actor: admin, meta },
      { password: PASSWORD, confirm: "on" },
    );
    expect(result).toMatchObject({ ok: false, status: 403 });
  });
});

describe("retention", () => {
  it("erases a closed account after its grace period, leaving no personal field in any table", async () => {
    const lived = await livedInAccount();
    const { user } = lived;
    // A change of address left pending: the address asked for is personal data too.
    const { requestEmailChange } = await import("@/lib/accounts/change-email");
    const pendingEmail = `pending-${randomUUID()}@int.accord.test`;
    const pending = await requestEmailChange({
      userId: user.id,
      newEmail: pendingEmail,
      currentPassword: PASSWORD,
    });
    expect(pending.ok).toBe(true);
    const closed = await deregistration.deregister(
      { actor: user, meta },
      { password: PASSWORD, confirm: "on" },
    );
    if (!closed.ok) throw new Error(closed.message);
    const secrets = [user.email, lived.passwordHash, lived.message, lived.note, pendingEmail];
    for (const secret of secrets) expect(await columnsContaining(secret)).not.toEqual([]);

    const early = await purge.runRetention({ at: new Date(closed.data.closedAt.getTime() + 14 * DAY) });
    expect(early.counts.accountsErased).toBe(0);
    const dry = await purge.runRetention({
      at: new Date(closed.data.closedAt.getTime() + 16 * DAY),
      dryRun: true,
    });
    expect(dry.counts.accountsErased).toBeGreaterThanOrEqual(1);
    expect(await columnsContaining(user.email)).not.toEqual([]);

    const at = new Date(closed.data.closedAt.getTime() + 16 * DAY);
    const report = await purge.runRetention({ at });
    expect(report.counts.accountsErased).toBe(dry.counts.accountsErased);
    for (const secret of secrets) expect(await columnsContaining(secret)).toEqual([]);

    const erased = await lib.prisma.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(erased).toMatchObject({ email: `erased-${user.id}@erased.invalid`, locale: "en", erasedAt: at });
    expect(await auth.authenticate(erased.email, PASSWORD)).toBeNull();
    const closure = await lib.prisma.rightsRequest.findUniqueOrThrow({
      where: { reference: closed.data.reference },
    });
    expect(closure).toMatchObject({ status: "COMPLETED", closedAt: at });
    // The evidence stays: the events and their chain are untouched.
    expect(await lib.prisma.consentEvent.count({ where: { subjectId: user.id } })).toBe(2);
    // Too late to cancel.
    const cancel = await deregistration.cancelDeregistration(meta, { email: user.email, password: PASSWORD });
    expect(cancel).toMatchObject({ ok: false, code: "cannot_restore" });

    const { rows } = await lib.pool.query<{ details: { counts: { accountsErased: number } } }>(
      `SELECT details FROM audit_log WHERE action = 'retention.purged' ORDER BY id DESC LIMIT 1`,
    );
    expect(rows[0]?.details.counts.accountsErased).toBe(report.counts.accountsErased);

    // Until the evidence period ends the events keep what the browser sent.
    expect(await columnsContaining(lived.userAgent)).toEqual(["consent_events.user_agent"]);
    const later = await purge.runRetention({ at: new Date(closed.data.closedAt.getTime() + 1096 * DAY) });
    expect(later.counts.consentEventsPruned).toBeGreaterThanOrEqual(2);
    for (const secret of [...secrets, lived.userAgent]) expect(await columnsContaining(secret)).toEqual([]);
    expect(await lib.prisma.consentEvent.count({ where: { subjectId: user.id, prunedAt: null } })).toBe(0);
    // The ledger still verifies, and says the events are pruned, not missing.
    const { verifyLedger } = await import("@/lib/ledger/verify-ledger");
    const verified = await verifyLedger(lib.pool);
    expect(verified.problems).toEqual([]);
    expect(verified.pruned).toBeGreaterThanOrEqual(2);
  });

  it("leaves a subject on legal hold untouched, and purges them once the hold is released", async () => {
    const { user, admin } = await livedInAccount();
    const closed = await deregistration.deregister(
      { actor: user, meta },
      { password: PASSWORD, confirm: "on" },
    );
    if (!closed.ok) throw new Error(closed.message);
    const placed = await holds.placeLegalHold(
      { actor: admin, meta },
      { subject: user.email, basis: "COURT", reason: "Court file (2026) Hu 0101 Min Chu 1234" },
    );
    if (!placed.ok) throw new Error(placed.message);
    const at = new Date(closed.data.closedAt.getTime() + 1100 * DAY);
    const report = await purge.runRetention({ at });
    expect(report.subjectsOnHold).toBeGreaterThanOrEqual(1);
    expect(await lib.prisma.user.findUniqueOrThrow({ where: { id: user.id } })).toMatchObject({
      email: user.email,
      erasedAt: null,
    });
    expect(await lib.prisma.notification.count({ where: { userId: user.id } })).toBeGreaterThan(0);
    expect(await lib.prisma.consentEvent.count({ where: { subjectId: user.id, prunedAt: null } })).toBe(2);
    expect(await auditSteps(user.id)).toEqual(["account.deregistered", "legal_hold.placed"]);

    const released = await holds.releaseLegalHold({ actor: admin, meta }, placed.data.holdId);
    expect(released.ok).toBe(true);
    expect(await holds.releaseLegalHold({ actor: admin, meta }, placed.data.holdId)).toMatchObject({
      ok: false,
      status: 409,
    });
    await purge.runRetention({ at });
    expect(await lib.prisma.user.findUniqueOrThrow({ where: { id: user.id } })).toMatchObject({
      email: `erased-${user.id}@erased.invalid`,
    });
    // Past every retention period: the audit entries about the subject went
    // with the others once the hold was released; the erasure's own is new.
    expect(await auditSteps(user.id)).toEqual(["account.erased"]);
  });

  it("names an unknown subject as a field error", async () => {
    const admin = await account("ADMIN");
    const result = await holds.placeLegalHold(
      { actor: admin, meta },
      { subject: "nobody@int.accord.test", basis: "LAW", reason: "Tax audit 2026" },
    );
    expect(result).toMatchObject({
      ok: false,
      fieldErrors: { subject: ["No account has that email or id."] },
    });
  });

  it("deletes old sent mail, expired rate-limit counters and old audit entries; the log stays append-only", async () => {
    const { user } = await livedInAccount();
    const start = new Date();
    expect(await lib.prisma.notification.count({ where: { userId: user.id, status: "SENT" } })).toBe(1);
    const dry = await purge.runRetention({ at: new Date(start.getTime() + 91 * DAY), dryRun: true });
    expect(dry.counts.sentMailDeleted).toBeGreaterThanOrEqual(1);
    expect(dry.counts.rateLimitsDeleted).toBeGreaterThanOrEqual(1);
    expect(await lib.prisma.notification.count({ where: { userId: user.id } })).toBe(1);

    const report = await purge.runRetention({ at: new Date(start.getTime() + 91 * DAY) });
    expect(report.counts.sentMailDeleted).toBe(dry.counts.sentMailDeleted);
    expect(await lib.prisma.notification.count({ where: { userId: user.id } })).toBe(0);
    expect(await lib.prisma.rateLimit.count()).toBe(0);
    expect(report.counts.auditEntriesDeleted).toBe(0);

    const before = await lib.prisma.auditLogEntry.count();
    const late = await purge.runRetention({ at: new Date(start.getTime() + 1100 * DAY) });
    expect(late.counts.auditEntriesDeleted).toBeGreaterThan(0);
    // Only the purge's own record is left, plus what belongs to subjects on hold.
    const left = await lib.prisma.auditLogEntry.count();
    expect(left).toBe(before - late.counts.auditEntriesDeleted + 1);

    // Outside the purge function the log refuses changes, even where privileges would allow them.
    await expect(lib.pool.query(`DELETE FROM audit_log`)).rejects.toThrow();
    await expect(lib.pool.query(`UPDATE audit_log SET action = 'x'`)).rejects.toThrow();
  });
});
