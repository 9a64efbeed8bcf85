import "server-only";
import { prisma } from "@/lib/db";
import { now } from "@/lib/clock";
import type { Actor } from "@/lib/auth/actor";
import type { RequestMeta } from "@/lib/http/request-meta";
import type { Prisma } from "@/lib/generated/prisma/client";

export interface AuditEntry {
  actor: Actor | null;
  meta: Pick<RequestMeta, "ipTruncated" | "userAgent"> | null;
  action: string;
  targetType?: string;
  targetId?: string;
  details?: Prisma.InputJsonValue;
}

type Db = Pick<Prisma.TransactionClient, "auditLogEntry">;

/**
 * Appends to the admin audit log (append-only, enforced by a trigger). Pass
 * the transaction client so the entry commits or rolls back with the change.
 *
 * Staff (admins, auditors) are named by email; a data subject acting on their
 * own account (a rights request, deregistering) only by their pseudonymous
 * id, so erasing the account later leaves nothing personal in this log.
 */
export async function recordAudit(entry: AuditEntry, db: Db = prisma): Promise<void> {
  const staff = entry.actor !== null && entry.actor.role !== "USER";
  await db.auditLogEntry.create({
    data: {
      actorId: entry.actor?.id ?? null,
      actorEmail: staff ? (entry.actor?.email ?? null) : null,
      action: entry.action,
      targetType: entry.targetType ?? null,
      targetId: entry.targetId ?? null,
      // A data subject's address and browser are personal data the append-only
      // log could never erase: kept for staff only.
      ip: staff || !entry.actor ? (entry.meta?.ipTruncated ?? null) : null,
      userAgent: staff || !entry.actor ? (entry.meta?.userAgent ?? null) : null,
      details: entry.details ?? {},
      createdAt: now(),
    },
  });
}
