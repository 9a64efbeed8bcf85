import "server-only";
import { prisma } from "@/lib/db";
import { now } from "@/lib/clock";
import type { Prisma } from "@/lib/generated/prisma/client";
import { recordAudit } from "@/lib/audit-log/record-audit";
import { queueMail } from "@/lib/notifications/outbox";
import { fail, ok, type Result } from "@/lib/result";
import { REQUEST_TARGET, type SubjectContext } from "@/lib/rights/requests";
import { OPEN_STATUSES, type DeskFilter, type RespondInput } from "@/lib/rights/schemas";
import { fieldMessage } from "@/lib/validation/messages";

/** The admin working the desk, and where the request came from (for the audit log). */
export type DeskContext = SubjectContext;

export const DESK_PAGE_SIZE = 200;

function whereFor(filter: DeskFilter, at: Date): Prisma.RightsRequestWhereInput {
  const open = { status: { in: [...OPEN_STATUSES] } };
  const view: Record<DeskFilter["view"], Prisma.RightsRequestWhereInput> = {
    open,
    overdue: { ...open, dueAt: { lt: at } },
    closed: { status: { notIn: [...OPEN_STATUSES] } },
    all: {},
  };
  return { ...view[filter.view], ...(filter.type ? { type: filter.type } : {}) };
}

/** The queue: open requests by deadline (most urgent first), closed ones by when they closed. */
export async function listDesk(filter: DeskFilter) {
  const at = now();
  const rows = await prisma.rightsRequest.findMany({
    where: whereFor(filter, at),
    orderBy:
      filter.view === "closed" ? [{ closedAt: "desc" }, { id: "asc" }] : [{ dueAt: "asc" }, { id: "asc" }],
    take: DESK_PAGE_SIZE + 1,
    select: {
      id: true,
      reference: true,
      type: true,
      status: true,
      receivedAt: true,
      dueAt: true,
      closedAt: true,
      subject: { select: { id: true, email: true, deregisteredAt: true, erasedAt: true } },
      assignee: { select: { email: true } },
    },
  });
  return {
    rows: rows
      .slice(0, DESK_PAGE_SIZE)
      .map((row) => ({ ...row, subject: shownSubject(row.subject), overdue: isOverdue(row, at) })),
    more: rows.length > DESK_PAGE_SIZE,
  };
}

export function isOverdue(row: { status: string; dueAt: Date }, at: Date): boolean {
  return (OPEN_STATUSES as readonly string[]).includes(row.status) && row.dueAt < at;
}

/** An erased account's placeholder address is no email: the desk shows its pseudonymous id instead. */
function shownSubject<S extends { email: string; erasedAt: Date | null }>(subject: S) {
  return { ...subject, email: subject.erasedAt ? null : subject.email };
}

/** For the admin dashboard card. */
export async function deskCounts(): Promise<{ open: number; overdue: number }> {
  const at = now();
  const [open, overdue] = await Promise.all([
    prisma.rightsRequest.count({ where: whereFor({ view: "open" }, at) }),
    prisma.rightsRequest.count({ where: whereFor({ view: "overdue" }, at) }),
  ]);
  return { open, overdue };
}

/** One request with its notes, its steps (from the audit log) and who it can be assigned to. */
export async function getDeskRequest(id: string) {
  const request = await prisma.rightsRequest.findUnique({
    where: { id },
    include: {
      subject: { select: { id: true, email: true, createdAt: true, deregisteredAt: true, erasedAt: true } },
      assignee: { select: { id: true, email: true } },
      notes: { orderBy: { createdAt: "asc" }, include: { author: { select: { email: true } } } },
    },
  });
  if (!request) return null;
  const [steps, admins] = await Promise.all([
    prisma.auditLogEntry.findMany({
      where: { targetType: REQUEST_TARGET, targetId: id },
      orderBy: { id: "asc" },
      select: { id: true, action: true, actorId: true, actorEmail: true, createdAt: true },
    }),
    prisma.user.findMany({
      where: { role: "ADMIN", deregisteredAt: null },
      orderBy: { email: "asc" },
      select: { id: true, email: true },
    }),
  ]);
  const onHold = await prisma.legalHold.count({ where: { subjectId: request.subjectId, releasedAt: null } });
  return {
    ...request,
    subject: shownSubject(request.subject),
    onHold: onHold > 0,
    overdue: isOverdue(request, now()),
    steps,
    admins,
  };
}

export type DeskRequest = NonNullable<Awaited<ReturnType<typeof getDeskRequest>>>;

type Step = (
  tx: Prisma.TransactionClient,
  request: { id: string; reference: string; status: string; type: string },
) => Promise<Result<Prisma.InputJsonObject> | null>;

/**
 * Runs one desk step on a locked request and audits it in the same
 * transaction. `step` returns the audit details, a refusal, or null when
 * there was nothing to change (then nothing is written).
 */
async function deskStep(
  context: DeskContext,
  requestId: string,
  action: string,
  step: Step,
): Promise<Result<{ reference: string }>> {
  return prisma.$transaction(async (tx) => {
    // FOR UPDATE: two admins answering at once cannot both send an outcome.
    const [request] = await tx.$queryRaw<{ id: string; reference: string; status: string; type: string }[]>`
      SELECT id::text, reference, status::text, type::text FROM rights_requests WHERE id = ${requestId}::uuid FOR UPDATE`;
    if (!request) return fail(404, "not_found", "No such request.");
    const result = await step(tx, request);
    if (result === null) return ok({ reference: request.reference });
    if (!result.ok) return result;
    await recordAudit(
      {
        ...context,
        action,
        targetType: REQUEST_TARGET,
        targetId: request.id,
        details: { reference: request.reference, ...result.data },
      },
      tx,
    );
    return ok({ reference: request.reference });
  });
}

const isOpen = (status: string) => (OPEN_STATUSES as readonly string[]).includes(status);
const closedRefusal = () => fail(409, "request_closed", "This request is closed: it cannot change any more.");

export async function assignRequest(context: DeskContext, input: { requestId: string; assigneeId: string }) {
  return deskStep(context, input.requestId, "rights.request.assigned", async (tx, request) => {
    if (!isOpen(request.status)) return closedRefusal();
    const assigneeId = input.assigneeId || null;
    if (assigneeId) {
      const admin = await tx.user.findFirst({
        where: { id: assigneeId, role: "ADMIN", deregisteredAt: null },
        select: { id: true },
      });
      if (!admin)
        return fail(400, "invalid_input", "Some fields need attention.", {
          assigneeId: [fieldMessage("chooseAdministrator")],
        });
    }
    const { assigneeId: previous } = await tx.rightsRequest.findUniqueOrThrow({
      where: { id: request.id },
      select: { assigneeId: true },
    });
    if (previous === assigneeId) return null;
    await tx.rightsRequest.update({ where: { id: request.id }, data: { assigneeId, updatedAt: now() } });
    return ok({ assigneeId, previousAssigneeId: previous });
  });
}

export async function addRequestNote(context: DeskContext, input: { requestId: string; body: string }) {
  return deskStep(context, input.requestId, "rights.request.noted", async (tx, request) => {
    const at = now();
    const note = await tx.rightsRequestNote.create({
      data: { requestId: request.id, authorId: context.actor.id, body: input.body, createdAt: at },
      select: { id: true },
    });
    await tx.rightsRequest.update({ where: { id: request.id }, data: { updatedAt: at } });
    // The note's text stays in the notes table, which erasure can reach; the log says that one was written.
    return ok({ noteId: note.id });
  });
}

/** RECEIVED → IN_PROGRESS; an unassigned request is assigned to whoever starts it. */
export async function startRequest(context: DeskContext, input: { requestId: string }) {
  return deskStep(context, input.requestId, "rights.request.started", async (tx, request) => {
    if (request.status !== "RECEIVED")
      return fail(409, "request_not_received", "Only a newly received request can be started.");
    const current = await tx.rightsRequest.findUniqueOrThrow({
      where: { id: request.id },
      select: { assigneeId: true },
    });
    const assigneeId = current.assigneeId ?? context.actor.id;
    await tx.rightsRequest.update({
      where: { id: request.id },
      data: { status: "IN_PROGRESS", assigneeId, updatedAt: now() },
    });
    return ok({ assigneeId });
  });
}

/**
 * Answers a request: the outcome is stored, sent to the user by email and the
 * request closes. Closures are not answered here: they complete when the
 * account's data is erased after the grace period.
 */
export async function respondToRequest(context: DeskContext, input: RespondInput) {
  return deskStep(
    context,
    input.requestId,
    `rights.request.${input.decision.toLowerCase()}`,
    async (tx, request) => {
      if (!isOpen(request.status)) return closedRefusal();
      if (request.type === "CLOSURE")
        return fail(
          409,
          "closure_runs_itself",
          "An account closure completes by itself when its grace period ends.",
        );
      const at = now();
      const updated = await tx.rightsRequest.update({
        where: { id: request.id },
        data: {
          status: input.decision,
          outcome: input.outcome,
          closedAt: at,
          updatedAt: at,
        },
        select: { reference: true, type: true, subject: { select: { id: true, email: true } } },
      });
      const email = updated.subject.email;
      if (email) {
        await queueMail(tx, {
          userId: updated.subject.id,
          to: email,
          kind: "request-answered",
          payload: {
            reference: updated.reference,
            type: updated.type,
            decision: input.decision,
            outcome: input.outcome,
          },
          at,
        });
      }
      return ok({ decision: input.decision, emailed: email !== null });
    },
  );
}
