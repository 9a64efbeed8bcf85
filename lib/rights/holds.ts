import "server-only";
import { prisma } from "@/lib/db";
import { now } from "@/lib/clock";
import { recordAudit } from "@/lib/audit-log/record-audit";
import { fail, ok, type Result } from "@/lib/result";
import type { SubjectContext } from "@/lib/rights/requests";
import type { PlaceHoldInput } from "@/lib/rights/schemas";
import { fieldMessage } from "@/lib/validation/messages";

export const HOLD_TARGET = "user";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Puts a subject on legal hold (agreement §2.2: court decisions, authorities'
 * requirements, the law, disputes): until released, the retention purge
 * leaves everything about them alone. The subject is named by email or
 * account id (an erased account has only its id). Audited without the
 * reason, which stays in legal_holds.
 */
export async function placeLegalHold(
  { actor, meta }: SubjectContext,
  input: PlaceHoldInput,
): Promise<Result<{ holdId: string }>> {
  const subject = await prisma.user.findFirst({
    where: UUID.test(input.subject) ? { id: input.subject } : { email: input.subject.toLowerCase() },
    select: { id: true },
  });
  if (!subject)
    return fail(400, "invalid_input", "Some fields need attention.", {
      subject: [fieldMessage("holdSubjectUnknown")],
    });
  const at = now();
  return prisma.$transaction(async (tx) => {
    const hold = await tx.legalHold.create({
      data: {
        subjectId: subject.id,
        basis: input.basis,
        reason: input.reason,
        placedAt: at,
        placedById: actor.id,
      },
      select: { id: true },
    });
    await recordAudit(
      {
        actor,
        meta,
        action: "legal_hold.placed",
        targetType: HOLD_TARGET,
        targetId: subject.id,
        details: { holdId: hold.id, basis: input.basis },
      },
      tx,
    );
    return ok({ holdId: hold.id });
  });
}

export async function releaseLegalHold(
  { actor, meta }: SubjectContext,
  holdId: string,
): Promise<Result<{ holdId: string }>> {
  const at = now();
  return prisma.$transaction(async (tx) => {
    const released = await tx.legalHold.updateManyAndReturn({
      where: { id: holdId, releasedAt: null },
      data: { releasedAt: at, releasedById: actor.id },
      select: { subjectId: true },
    });
    const hold = released[0];
    if (!hold) return fail(409, "hold_not_active", "This hold was already released, or does not exist.");
    await recordAudit(
      {
        actor,
        meta,
        action: "legal_hold.released",
        targetType: HOLD_TARGET,
        targetId: hold.subjectId,
        details: { holdId },
      },
      tx,
    );
    return ok({ holdId });
  });
}

/** Active holds first (newest first), then the released ones. */
export async function listLegalHolds() {
  return prisma.legalHold.findMany({
    orderBy: [{ releasedAt: { sort: "desc", nulls: "first" } }, { placedAt: "desc" }],
    take: 200,
    select: {
      id: true,
      basis: true,
      reason: true,
      placedAt: true,
      releasedAt: true,
      subject: { select: { id: true, email: true, deregisteredAt: true, erasedAt: true } },
    },
  });
}

/** Whether the subject is on hold now (the desk shows it beside their requests). */
export async function isOnHold(subjectId: string): Promise<boolean> {
  return (await prisma.legalHold.count({ where: { subjectId, releasedAt: null } })) > 0;
}
