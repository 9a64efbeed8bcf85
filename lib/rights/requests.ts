import "server-only";
import { prisma } from "@/lib/db";
import { now } from "@/lib/clock";
import { Prisma } from "@/lib/generated/prisma/client";
import type { RightsRequestStatus, RightsRequestType } from "@/lib/generated/prisma/enums";
import { recordAudit } from "@/lib/audit-log/record-audit";
import { queueMail } from "@/lib/notifications/outbox";
import type { Actor } from "@/lib/auth/actor";
import type { RequestMeta } from "@/lib/http/request-meta";
import { ok, type Result } from "@/lib/result";
import { newRequestReference, normaliseReference } from "@/lib/rights/reference";
import { addDays, getRightsPolicy } from "@/lib/rights/policy";
import type { OpenRequestInput } from "@/lib/rights/schemas";

export const REQUEST_TARGET = "rights_request";

export interface SubjectContext {
  actor: Actor;
  meta: Pick<RequestMeta, "ipTruncated" | "userAgent">;
}

interface NewRequest {
  type: RightsRequestType;
  subjectId: string;
  message: string | null;
  status?: RightsRequestStatus;
  at: Date;
  deadlineDays: number;
}

/**
 * Inserts a request with a fresh reference inside the caller's transaction.
 * A reference collision (40 random bits) is retried under a savepoint, so
 * the caller's transaction survives it.
 */
export async function insertRequest(tx: Prisma.TransactionClient, request: NewRequest) {
  for (let attempt = 1; ; attempt++) {
    const reference = newRequestReference();
    try {
      await tx.$executeRaw`SAVEPOINT new_reference`;
      const created = await tx.rightsRequest.create({
        data: {
          reference,
          type: request.type,
          status: request.status ?? "RECEIVED",
          subjectId: request.subjectId,
          message: request.message,
          receivedAt: request.at,
          dueAt: addDays(request.at, request.deadlineDays),
          updatedAt: request.at,
        },
        select: { id: true, reference: true, type: true, receivedAt: true, dueAt: true },
      });
      await tx.$executeRaw`RELEASE SAVEPOINT new_reference`;
      return created;
    } catch (error) {
      const collision =
        error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002" && attempt < 5;
      if (!collision) throw error;
      await tx.$executeRaw`ROLLBACK TO SAVEPOINT new_reference`;
    }
  }
}

/**
 * A user opens a request (§6.2 correction or deletion, §6.6 question): it gets
 * a reference and a deadline, lands on the desk, is audited, and the user is
 * emailed an acknowledgement. All or nothing.
 */
export async function openRightsRequest(
  { actor, meta }: SubjectContext,
  input: OpenRequestInput,
): Promise<Result<{ reference: string }>> {
  const { requestDeadlineDays } = await getRightsPolicy();
  const at = now();
  const created = await prisma.$transaction(async (tx) => {
    const request = await insertRequest(tx, {
      type: input.type,
      subjectId: actor.id,
      message: input.message,
      at,
      deadlineDays: requestDeadlineDays,
    });
    await recordAudit(
      {
        actor,
        meta,
        action: "rights.request.opened",
        targetType: REQUEST_TARGET,
        targetId: request.id,
        // The user's words stay in the request, which erasure can reach; the append-only log gets facts only.
        details: { reference: request.reference, type: request.type, dueAt: request.dueAt.toISOString() },
      },
      tx,
    );
    await queueMail(tx, {
      userId: actor.id,
      to: actor.email,
      kind: "request-received",
      payload: {
        reference: request.reference,
        type: request.type,
        receivedAt: request.receivedAt.toISOString(),
        dueAt: request.dueAt.toISOString(),
      },
      at,
    });
    return request;
  });
  return ok({ reference: created.reference });
}

const OWN_FIELDS = {
  reference: true,
  type: true,
  status: true,
  receivedAt: true,
  dueAt: true,
  closedAt: true,
} as const;

/** The user's own requests, newest first. */
export async function listOwnRequests(subjectId: string) {
  return prisma.rightsRequest.findMany({
    where: { subjectId },
    orderBy: { receivedAt: "desc" },
    select: OWN_FIELDS,
  });
}

/** One of the user's own requests by reference; null for anyone else's. */
export async function getOwnRequest(subjectId: string, reference: string) {
  return prisma.rightsRequest.findFirst({
    where: { subjectId, reference: normaliseReference(reference) },
    select: { ...OWN_FIELDS, message: true, outcome: true },
  });
}

export type OwnRequest = NonNullable<Awaited<ReturnType<typeof getOwnRequest>>>;
