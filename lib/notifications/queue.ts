import "server-only";
import { randomUUID } from "node:crypto";
import type { Prisma } from "@/lib/generated/prisma/client";

export const MATERIAL_VERSION_RUN = "material-version";
/** The outbox kind of a run's emails (lib/notifications/worker.ts writes them from the run's version). */
export const VERSION_NOTICE_KIND = "version-notice";

export interface QueueOptions {
  versionId: string;
  versionNumber: number;
  createdById: string | null;
  at: Date;
}

/**
 * Queues one email per affected user inside the caller's transaction, as one
 * set-based INSERT ... SELECT: a million users is one statement, not a million
 * round trips, and the mail exists if and only if the version was published.
 * Affected: every active account that has not already accepted this version.
 */
export async function queueVersionNotifications(
  tx: Prisma.TransactionClient,
  { versionId, versionNumber, createdById, at }: QueueOptions,
): Promise<{ runId: string; total: number }> {
  const runId = randomUUID();
  await tx.$executeRaw`
    INSERT INTO notification_runs (id, version_id, kind, created_at, created_by_id, total)
    VALUES (${runId}::uuid, ${versionId}::uuid, ${MATERIAL_VERSION_RUN}, ${at}, ${createdById}::uuid, 0)`;
  const total = await tx.$executeRaw`
    INSERT INTO notifications (run_id, user_id, email, kind, status, attempts, next_attempt_at, created_at)
    SELECT ${runId}::uuid, u.id, u.email, ${VERSION_NOTICE_KIND}, 'PENDING'::"NotificationStatus", 0, ${at}, ${at}
    FROM users u
    LEFT JOIN consent_subjects s ON s.subject_id = u.id
    WHERE u.deregistered_at IS NULL AND COALESCE(s.accepted_version_number, 0) < ${versionNumber}`;
  await tx.$executeRaw`UPDATE notification_runs SET total = ${total} WHERE id = ${runId}::uuid`;
  return { runId, total };
}
