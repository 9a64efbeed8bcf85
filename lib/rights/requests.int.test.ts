// Rights requests end to end below the UI: a user opens one, it lands on the
// desk with a deadline, an admin works it, and both emails go out through a
// real SMTP server. Every step is in the audit log, without the user's words.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { usePrivateAppDatabase } from "@/tests/helpers/private-app-database";
import { startMailCatcher, type MailCatcher } from "@/tests/helpers/mail-catcher";
import type { Actor } from "@/lib/auth/actor";

let db: Awaited<ReturnType<typeof usePrivateAppDatabase>>;
let smtp: MailCatcher;
let requests: typeof import("./requests");
let desk: typeof import("./desk");
let worker: typeof import("@/lib/notifications/worker");
let mailer: typeof import("@/lib/notifications/mailer");
let lib: typeof import("@/lib/db");
let users: typeof import("@/lib/users/create-user");

const meta = { ipTruncated: "198.51.100.0", userAgent: "vitest" };
const APP_URL = "https://accord.example";

beforeAll(async () => {
  smtp = await startMailCatcher();
  db = await usePrivateAppDatabase();
  [requests, desk, worker, mailer, lib, users] = await Promise.all([
    import("./requests"),
    import("./desk"),
    import("@/lib/notifications/worker"),
    import("@/lib/notifications/mailer"),
    import("@/lib/db"),
    import("@/lib/users/create-user"),
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
    password: "correct horse battery staple",
    role,
  });
  if (!created.ok) throw new Error(created.message);
  return created.data;
}

const send = () => worker.drainQueue({ mailer: mailer.createMailer({ smtpUrl: smtp.url }), appUrl: APP_URL });

const steps = async (requestId: string) =>
  (
    await lib.pool.query<{ action: string; actor_id: string; actor_email: string | null; details: object }>(
      `SELECT action, actor_id::text, actor_email, details FROM audit_log
       WHERE target_type = 'rights_request' AND target_id = $1 ORDER BY id`,
      [requestId],
    )
  ).rows;

async function open(user: Actor, message = "My phone number on file is wrong; it should end in 42.") {
  const opened = await requests.openRightsRequest({ actor: user, meta }, { type: "CORRECTION", message });
  if (!opened.ok) throw new Error(opened.message);
  return lib.prisma.rightsRequest.findUniqueOrThrow({ where: { reference: opened.data.reference } });
}

describe("a user's request", () => {
  it("gets a reference and a 15-day deadline, is audited without its text, and is acknowledged by email", async () => {
    const user = await account();
    const request = await open(user);
    expect(request.reference).toMatch(/^RQ-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    expect(request.status).toBe("RECEIVED");
    expect(request.dueAt.getTime() - request.receivedAt.getTime()).toBe(15 * 86_400_000);

    const [opened, ...rest] = await steps(request.id);
    expect(rest).toEqual([]);
    expect(opened).toMatchObject({ action: "rights.request.opened", actor_id: user.id, actor_email: null });
    expect(JSON.stringify(opened!.details)).not.toContain("phone number");

    expect((await send()).sent).toBe(1);
    const [mail] = smtp.to(user.email);
    expect(mail!.subject).toBe(`We received your request ${request.reference}`);
    expect(mail!.text).toContain(`${APP_URL}/account/requests/${request.reference}`);
    expect(mail!.text).toContain("We will answer by:");
    expect(mail!.html).toContain(`href="${APP_URL}/account/requests/${request.reference}"`);
  });

  it("is visible to its owner only, by reference as people type it", async () => {
    const [owner, other] = await Promise.all([account(), account()]);
    const request = await open(owner);
    const typed = request.reference.toLowerCase().replace(/-/g, " ");
    expect(await requests.getOwnRequest(owner.id, typed)).toMatchObject({ reference: request.reference });
    expect(await requests.getOwnRequest(other.id, request.reference)).toBeNull();
    expect((await requests.listOwnRequests(other.id)).map((r) => r.reference)).not.toContain(
      request.reference,
    );
  });
});

describe("the request desk", () => {
  it("queues open requests by deadline, highlights the overdue ones and counts both", async () => {
    const user = await account();
    const before = await desk.deskCounts();
    const late = await open(user);
    const fresh = await open(user);
    await lib.pool.query(`UPDATE rights_requests SET due_at = now() - interval '1 day' WHERE id = $1`, [
      late.id,
    ]);

    expect(await desk.deskCounts()).toEqual({ open: before.open + 2, overdue: before.overdue + 1 });
    const { rows } = await desk.listDesk({ view: "open" });
    const mine = rows.filter((r) => r.subject.id === user.id);
    expect(mine.map((r) => [r.reference, r.overdue])).toEqual([
      [late.reference, true],
      [fresh.reference, false],
    ]);
    const overdue = await desk.listDesk({ view: "overdue" });
    expect(overdue.rows.map((r) => r.reference)).toContain(late.reference);
    expect(overdue.rows.map((r) => r.reference)).not.toContain(fresh.reference);
  });

  it("assigns, notes, starts and answers, auditing each step and emailing the outcome once", async () => {
    const [user, admin, colleague, notAdmin] = await Promise.all([
      account(),
      account("ADMIN"),
      account("ADMIN"),
      account("AUDITOR"),
    ]);
    const request = await open(user);
    const context = { actor: admin, meta };
    await send();
    smtp.received.length = 0;

    expect(
      await desk.assignRequest(context, { requestId: request.id, assigneeId: notAdmin.id }),
    ).toMatchObject({
      ok: false,
      fieldErrors: { assigneeId: [expect.any(String)] },
    });
    expect((await desk.assignRequest(context, { requestId: request.id, assigneeId: colleague.id })).ok).toBe(
      true,
    );
    // Assigning to whoever already has it changes nothing and logs nothing.
    expect((await desk.assignRequest(context, { requestId: request.id, assigneeId: colleague.id })).ok).toBe(
      true,
    );
    expect(
      (await desk.addRequestNote(context, { requestId: request.id, body: "Called the user: confirmed." })).ok,
    ).toBe(true);
    expect((await desk.startRequest(context, { requestId: request.id })).ok).toBe(true);
    expect(await desk.startRequest(context, { requestId: request.id })).toMatchObject({
      ok: false,
      status: 409,
    });

    const outcome = "We corrected your phone number. It now ends in 42.";
    const answered = await desk.respondToRequest(context, {
      requestId: request.id,
      decision: "COMPLETED",
      outcome,
    });
    expect(answered.ok).toBe(true);
    const again = await desk.respondToRequest(context, {
      requestId: request.id,
      decision: "REFUSED",
      outcome: "A second answer must not be sent.",
    });
    expect(again).toMatchObject({ ok: false, status: 409, code: "request_closed" });

    const stored = await lib.prisma.rightsRequest.findUniqueOrThrow({ where: { id: request.id } });
    expect(stored).toMatchObject({ status: "COMPLETED", outcome, assigneeId: colleague.id });
    expect(stored.closedAt).toBeInstanceOf(Date);

    const log = await steps(request.id);
    expect(log.map((s) => s.action)).toEqual([
      "rights.request.opened",
      "rights.request.assigned",
      "rights.request.noted",
      "rights.request.started",
      "rights.request.completed",
    ]);
    expect(log.slice(1).every((s) => s.actor_id === admin.id && s.actor_email === admin.email)).toBe(true);
    expect(JSON.stringify(log.map((s) => s.details))).not.toContain("Called the user");

    expect((await send()).sent).toBe(1);
    const [mail] = smtp.to(user.email);
    expect(mail!.subject).toBe(`Your request ${request.reference} has been answered`);
    expect(mail!.text).toContain(`> ${outcome}`);
    expect(await requests.getOwnRequest(user.id, request.reference)).toMatchObject({
      status: "COMPLETED",
      outcome,
    });
  });

  it("refuses to answer a closure, which completes with the erasure instead", async () => {
    const [user, admin] = await Promise.all([account(), account("ADMIN")]);
    const closure = await lib.prisma.$transaction((tx) =>
      requests.insertRequest(tx, {
        type: "CLOSURE",
        subjectId: user.id,
        message: null,
        status: "IN_PROGRESS",
        at: new Date(),
        deadlineDays: 15,
      }),
    );
    expect(
      await desk.respondToRequest(
        { actor: admin, meta },
        { requestId: closure.id, decision: "COMPLETED", outcome: "Closed by hand, which is not allowed." },
      ),
    ).toMatchObject({ ok: false, code: "closure_runs_itself" });
  });

  it("answers 404 for an unknown request and writes nothing", async () => {
    const admin = await account("ADMIN");
    const requestId = randomUUID();
    const result = await desk.addRequestNote({ actor: admin, meta }, { requestId, body: "Nothing to note." });
    expect(result).toMatchObject({ ok: false, status: 404 });
    expect(await steps(requestId)).toEqual([]);
  });
});

describe("the deadline setting", () => {
  it("defaults to 15 days, and a saved policy applies to requests received after it, audited", async () => {
    const policy = await import("./policy");
    const [user, admin] = await Promise.all([account(), account("ADMIN")]);
    const before = await open(user);
    const { rightsPolicySchema } = await import("./schemas");
    const defaults = rightsPolicySchema.parse(policy.DEFAULT_RIGHTS_POLICY);
    const saved = await policy.updateRightsPolicy(
      { actor: admin, meta },
      { ...defaults, requestDeadlineDays: 30 },
    );
    expect(saved).toMatchObject({ ok: true, data: { requestDeadlineDays: 30 } });
    const after = await open(user);
    expect(after.dueAt.getTime() - after.receivedAt.getTime()).toBe(30 * 86_400_000);
    const unchanged = await lib.prisma.rightsRequest.findUniqueOrThrow({ where: { id: before.id } });
    expect(unchanged.dueAt).toEqual(before.dueAt);
    const { rows } = await lib.pool.query<{ details: unknown; actor_email: string }>(
      `SELECT details, actor_email FROM audit_log WHERE action = 'settings.rights.updated' ORDER BY id DESC LIMIT 1`,
    );
    expect(rows[0]).toEqual({
      actor_email: admin.email,
      details: { changes: { requestDeadlineDays: { from: 15, to: 30 } } },
    });
    await policy.updateRightsPolicy({ actor: admin, meta }, defaults);
  });
});
