import "server-only";
import { prisma } from "@/lib/db";
import { now } from "@/lib/clock";
import { recordAudit } from "@/lib/audit-log/record-audit";
import { queueMail } from "@/lib/notifications/outbox";
import { decoyPasswordHash, verifyPassword } from "@/lib/auth/password";
import { clearFailedSignIns, recordFailedSignIn, signInThrottle } from "@/lib/auth/rate-limit";
import { fail, ok, type Result } from "@/lib/result";
import { addDays, getRightsPolicy } from "@/lib/rights/policy";
import { insertRequest, REQUEST_TARGET, type SubjectContext } from "@/lib/rights/requests";
import type { CancelDeregistrationInput, DeregisterInput } from "@/lib/rights/schemas";
import type { RequestMeta } from "@/lib/http/request-meta";
import { bumpSessionVersion } from "@/lib/users/authenticate";
import { enqueueWebhook } from "@/lib/webhooks/enqueue";
import { fieldMessage } from "@/lib/validation/messages";

export const ACCOUNT_TARGET = "user";

export interface Closure {
  reference: string;
  closedAt: Date;
  /** When the personal fields are erased unless the user cancels first. */
  eraseAfter: Date;
}

async function passwordMatches(userId: string, password: string): Promise<boolean> {
  const row = await prisma.user.findUnique({ where: { id: userId }, select: { passwordHash: true } });
  return verifyPassword(row?.passwordHash ?? (await decoyPasswordHash()), password);
}

/**
 * Deregistering (§6.5): after the password is checked again, the account is
 * closed at once (sign-in refused; the session version moves, so every
 * session ends), a CLOSURE request goes on the desk with the
 * erasure date as its deadline, and the user is emailed how to cancel. All
 * or nothing. Consent events stay: they are the evidence of what was
 * consented to (GDPR 7(1)) until their own retention ends.
 */
export async function deregister(
  { actor, meta }: SubjectContext,
  input: DeregisterInput,
): Promise<Result<Closure>> {
  if (actor.role !== "USER")
    return fail(403, "staff_account", "Staff accounts are closed by another administrator.");
  if (!(await passwordMatches(actor.id, input.password)))
    return fail(400, "invalid_input", "Some fields need attention.", {
      password: [fieldMessage("passwordWrong")],
    });
  const { deregistrationGraceDays } = await getRightsPolicy();
  const at = now();
  return prisma.$transaction(async (tx) => {
    const closed = await tx.user.updateMany({
      where: { id: actor.id, deregisteredAt: null },
      data: { deregisteredAt: at },
    });
    if (closed.count === 0) return fail(409, "already_closed", "This account is already closed.");
    // Every session of the account ends now, on every device; restoring it later does not revive them.
    await bumpSessionVersion(actor.id, tx);
    const request = await insertRequest(tx, {
      type: "CLOSURE",
      subjectId: actor.id,
      message: null,
      at,
      deadlineDays: deregistrationGraceDays,
    });
    const eraseAfter = addDays(at, deregistrationGraceDays);
    await recordAudit(
      {
        actor,
        meta,
        action: "account.deregistered",
        targetType: ACCOUNT_TARGET,
        targetId: actor.id,
        details: { reference: request.reference, eraseAfter: eraseAfter.toISOString() },
      },
      tx,
    );
    await recordAudit(
      {
        actor,
        meta,
        action: "rights.request.opened",
        targetType: REQUEST_TARGET,
        targetId: request.id,
        details: { reference: request.reference, type: "CLOSURE", dueAt: request.dueAt.toISOString() },
      },
      tx,
    );
    // Services holding the subject's data hear of the closure once it commits (lib/webhooks),
    // by their own id for the person when it is linked to this account.
    const linked = await tx.externalSubject.findUnique({
      where: { userId: actor.id },
      select: { externalId: true },
    });
    await enqueueWebhook(
      tx,
      "subject.deregistered",
      {
        subjectId: actor.id,
        externalId: linked?.externalId ?? null,
        closedAt: at.toISOString(),
        eraseAfter: eraseAfter.toISOString(),
      },
      { messageId: `msg_closure_${request.id}`, at },
    );
    await queueMail(tx, {
      userId: actor.id,
      to: actor.email,
      kind: "account-closed",
      payload: {
        reference: request.reference,
        closedAt: at.toISOString(),
        eraseAfter: eraseAfter.toISOString(),
      },
      at,
    });
    return ok({ reference: request.reference, closedAt: at, eraseAfter });
  });
}

/**
 * Cancelling a closure during the grace period. The account cannot sign in,
 * so the user proves it is theirs with its email and password; every failure
 * gets the same answer (no account enumeration) and counts against the
 * sign-in throttle.
 */
export async function cancelDeregistration(
  meta: Pick<RequestMeta, "ip" | "ipTruncated" | "userAgent">,
  input: CancelDeregistrationInput,
): Promise<Result<{ reference: string | null }>> {
  const refused = fail(
    400,
    "cannot_restore",
    "We could not restore an account with that email and password. If its grace period has ended, it can no longer be restored.",
  );
  const throttle = await signInThrottle(input.email, meta.ip);
  if (throttle.limited)
    return fail(
      429,
      "rate_limited",
      `Too many attempts. Try again in ${throttle.retryAfterSeconds} seconds.`,
      undefined,
      { seconds: throttle.retryAfterSeconds },
    );
  const user = await prisma.user.findUnique({
    where: { email: input.email },
    select: { id: true, email: true, role: true, passwordHash: true, deregisteredAt: true, erasedAt: true },
  });
  const matches = await verifyPassword(user?.passwordHash ?? (await decoyPasswordHash()), input.password);
  if (!user || !matches || !user.deregisteredAt || user.erasedAt) {
    await recordFailedSignIn(input.email, meta.ip);
    return refused;
  }
  await clearFailedSignIns(input.email);
  const at = now();
  const actor = { id: user.id, email: user.email, role: user.role };
  return prisma.$transaction(async (tx) => {
    // erasedAt in the WHERE: a purge that erased the account meanwhile wins.
    const restored = await tx.user.updateMany({
      where: { id: user.id, deregisteredAt: { not: null }, erasedAt: null },
      data: { deregisteredAt: null },
    });
    if (restored.count === 0) return refused;
    const closure = await tx.rightsRequest.findFirst({
      where: { subjectId: user.id, type: "CLOSURE", status: { in: ["RECEIVED", "IN_PROGRESS"] } },
      orderBy: { receivedAt: "desc" },
      select: { id: true, reference: true },
    });
    if (closure) {
      await tx.rightsRequest.update({
        where: { id: closure.id },
        data: { status: "WITHDRAWN", closedAt: at, updatedAt: at },
      });
      await recordAudit(
        {
          actor,
          meta,
          action: "rights.request.withdrawn",
          targetType: REQUEST_TARGET,
          targetId: closure.id,
          details: { reference: closure.reference },
        },
        tx,
      );
    }
    await recordAudit(
      {
        actor,
        meta,
        action: "account.restored",
        targetType: ACCOUNT_TARGET,
        targetId: user.id,
        details: { reference: closure?.reference ?? null },
      },
      tx,
    );
    await queueMail(tx, {
      userId: user.id,
      to: user.email,
      kind: "account-restored",
      payload: { reference: closure?.reference ?? null, restoredAt: at.toISOString() },
      at,
    });
    return ok({ reference: closure?.reference ?? null });
  });
}
