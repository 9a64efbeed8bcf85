import "server-only";
import { cache } from "react";
import { prisma } from "@/lib/db";
import { now } from "@/lib/clock";
import { recordAudit } from "@/lib/audit-log/record-audit";
import { ok, type Result } from "@/lib/result";
import type { RightsPolicyInput } from "@/lib/rights/schemas";
import type { SubjectContext } from "@/lib/rights/requests";

/** The rights and retention policy (docs/rights.md). */
export interface RightsPolicy {
  /** Days to answer a rights request (the deadline shown to the user and on the desk). */
  requestDeadlineDays: number;
  /** Closed accounts: days before a closed account's personal fields are erased (the grace period). */
  deregistrationGraceDays: number;
  /** Days after closure that a closed account's consent events are kept as evidence. */
  consentEvidenceDays: number;
  /** Days a sent or finally failed email's outbox row is kept. */
  sentMailDays: number;
  /** Days an expired rate-limit counter is kept. */
  rateLimitDays: number;
  /** Days an audit-log entry is kept. */
  auditLogDays: number;
  updatedAt: Date | null;
}

/** What applies until an admin saves the policy; the reasons are in docs/rights.md. */
export const DEFAULT_RIGHTS_POLICY: RightsPolicy = {
  requestDeadlineDays: 15,
  deregistrationGraceDays: 15,
  consentEvidenceDays: 1095,
  sentMailDays: 90,
  rateLimitDays: 1,
  auditLogDays: 1095,
  updatedAt: null,
};

const fields = {
  requestDeadlineDays: true,
  deregistrationGraceDays: true,
  consentEvidenceDays: true,
  sentMailDays: true,
  rateLimitDays: true,
  auditLogDays: true,
  updatedAt: true,
} as const;

/** Read once per request (React's cache) and at every call elsewhere. */
export const getRightsPolicy = cache(readRightsPolicy);

/** Uncached, for the worker and scripts, which outlive a request. */
export async function readRightsPolicy(): Promise<RightsPolicy> {
  const row = await prisma.rightsPolicy.findUnique({ where: { id: 1 }, select: fields });
  return row ?? DEFAULT_RIGHTS_POLICY;
}

export async function updateRightsPolicy(
  context: SubjectContext,
  input: RightsPolicyInput,
): Promise<Result<RightsPolicy>> {
  return prisma.$transaction(async (tx) => {
    const before =
      (await tx.rightsPolicy.findUnique({ where: { id: 1 }, select: fields })) ?? DEFAULT_RIGHTS_POLICY;
    const at = now();
    const saved = await tx.rightsPolicy.upsert({
      where: { id: 1 },
      create: { id: 1, ...input, updatedAt: at, updatedById: context.actor.id },
      update: { ...input, updatedAt: at, updatedById: context.actor.id },
      select: fields,
    });
    const changes: Record<string, { from: number; to: number }> = {};
    for (const key of Object.keys(input) as (keyof RightsPolicyInput)[]) {
      if (before[key] !== input[key]) changes[key] = { from: before[key], to: input[key] };
    }
    await recordAudit(
      {
        ...context,
        action: "settings.rights.updated",
        targetType: "rights_policy",
        targetId: "1",
        details: { changes },
      },
      tx,
    );
    return ok(saved);
  });
}

export const DAY_MS = 86_400_000;

export function addDays(at: Date, days: number): Date {
  return new Date(at.getTime() + days * DAY_MS);
}
