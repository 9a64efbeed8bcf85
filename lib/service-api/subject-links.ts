import "server-only";
import { randomUUID } from "node:crypto";
import { prisma } from "@/lib/db";
import { now } from "@/lib/clock";
import { Prisma } from "@/lib/generated/prisma/client";
import { recordAudit, type AuditEntry } from "@/lib/audit-log/record-audit";
import { fail, ok, type Result } from "@/lib/result";

// The optional link from a service's id for a user (external_subjects) to the
// Accord account the same person holds (docs/integration.md, "Linked
// accounts"). Once linked, the account's consent record is the one that
// counts for the service's id: status, tokens, recorded decisions, hosted
// flows and webhooks all use the account's ledger subject
// (effectiveSubjectSql), so the service and the person's own preference
// centre see the same consent. What was recorded under the service's id
// before stays in the ledger (append-only) and is named in the audit entry.

/** The ledger subject of an external_subjects row `e`: the linked account's, else its own. */
export const effectiveSubjectSql = (e: string) => `COALESCE(${e}.user_id, ${e}.subject_id)`;

export type LinkVia = "hosted-flow" | "admin";

export interface LinkContext {
  actor: AuditEntry["actor"];
  meta: AuditEntry["meta"];
  via: LinkVia;
  /** The API key whose hosted link the user followed, when via the hosted flow. */
  apiKeyId?: string | null;
}

export interface SubjectLink {
  externalId: string;
  userId: string;
  /** False when the id was already linked to this account (nothing written). */
  changed: boolean;
}

const conflict = () =>
  fail(409, "link_conflict", "This id or this account was linked by someone else meanwhile. Try again.");

/**
 * Links a service's id to an Accord account, creating the id's mapping if
 * the service never recorded anything for it. Refused when the id is linked
 * to another account, the account to another id, or the account is closed
 * or its email address is not confirmed yet.
 * Audited in the same transaction.
 */
export async function linkExternalSubject(
  context: LinkContext,
  input: { externalId: string; userId: string },
): Promise<Result<SubjectLink>> {
  try {
    return await prisma.$transaction(async (tx) => {
      const user = await tx.user.findUnique({
        where: { id: input.userId },
        select: { deregisteredAt: true, erasedAt: true, emailVerifiedAt: true },
      });
      if (!user) return fail(404, "unknown_account", "There is no such Accord account.");
      if (user.deregisteredAt || user.erasedAt)
        return fail(409, "account_closed", "This Accord account is closed.");
      // An unconfirmed account may read but not consent (lib/accounts/verified.ts);
      // once linked, a service's recorded decisions would go to it, so it may not be linked either.
      if (!user.emailVerifiedAt)
        return fail(
          409,
          "account_unconfirmed",
          "This Accord account's email address is not confirmed yet: it can be linked once it is.",
        );
      const existing = await tx.externalSubject.findUnique({
        where: { externalId: input.externalId },
        select: { subjectId: true, userId: true },
      });
      if (existing?.userId === input.userId) return ok({ ...input, changed: false });
      if (existing?.userId)
        return fail(409, "external_id_linked", "This id is already linked to another Accord account.");
      const other = await tx.externalSubject.findUnique({
        where: { userId: input.userId },
        select: { externalId: true },
      });
      if (other) return fail(409, "account_linked", "This Accord account is already linked to another id.");
      const at = now();
      if (existing) {
        const { count } = await tx.externalSubject.updateMany({
          where: { externalId: input.externalId, userId: null },
          data: { userId: input.userId },
        });
        if (count === 0) return conflict();
      } else {
        await tx.externalSubject.create({
          data: {
            externalId: input.externalId,
            subjectId: randomUUID(),
            userId: input.userId,
            createdAt: at,
            createdByKeyId: context.apiKeyId ?? null,
          },
        });
      }
      await recordAudit(
        {
          actor: context.actor,
          meta: context.meta,
          action: "external_subject.linked",
          targetType: "external_subject",
          targetId: input.externalId,
          details: {
            userId: input.userId,
            via: context.via,
            // The ledger subject used for this id until now, whose record no longer counts for it.
            previousSubjectId: existing?.subjectId ?? null,
            ...(context.apiKeyId ? { apiKeyId: context.apiKeyId } : {}),
          },
        },
        tx,
      );
      return ok({ ...input, changed: true });
    });
  } catch (error) {
    // Two links at once: the unique user_id (or external_id) lets one win.
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") return conflict();
    throw error;
  }
}

/** Removes a link (an admin's correction): the id reads its own record again. Audited. */
export async function unlinkExternalSubject(
  context: Omit<LinkContext, "via" | "apiKeyId">,
  externalId: string,
): Promise<Result<{ externalId: string }>> {
  return prisma.$transaction(async (tx) => {
    const existing = await tx.externalSubject.findUnique({
      where: { externalId },
      select: { userId: true },
    });
    if (!existing?.userId) return fail(404, "not_linked", "This id is not linked to an account.");
    await tx.externalSubject.update({ where: { externalId }, data: { userId: null } });
    await recordAudit(
      {
        actor: context.actor,
        meta: context.meta,
        action: "external_subject.unlinked",
        targetType: "external_subject",
        targetId: externalId,
        details: { userId: existing.userId, via: "admin" },
      },
      tx,
    );
    return ok({ externalId });
  });
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An admin links an id to the account named by its email address or id. */
export async function linkExternalSubjectByAdmin(
  context: Omit<LinkContext, "via" | "apiKeyId">,
  input: { externalId: string; account: string },
): Promise<Result<SubjectLink>> {
  const user = await prisma.user.findFirst({
    where: UUID.test(input.account) ? { id: input.account } : { email: input.account.toLowerCase() },
    select: { id: true },
  });
  if (!user)
    return fail(404, "unknown_account", "There is no such Accord account.", {
      account: ["There is no such Accord account."],
    });
  return linkExternalSubject({ ...context, via: "admin" }, { externalId: input.externalId, userId: user.id });
}

export interface LinkedSubject {
  externalId: string;
  userId: string;
  email: string;
  createdAt: Date;
}

/** Every linked id with its account, newest first (the admin page). */
export async function listLinkedSubjects(limit = 200): Promise<LinkedSubject[]> {
  const rows = await prisma.externalSubject.findMany({
    where: { userId: { not: null } },
    orderBy: [{ createdAt: "desc" }, { externalId: "asc" }],
    take: limit,
    select: { externalId: true, userId: true, createdAt: true, user: { select: { email: true } } },
  });
  return rows.map((row) => ({
    externalId: row.externalId,
    userId: row.userId as string,
    email: row.user?.email ?? "",
    createdAt: row.createdAt,
  }));
}
