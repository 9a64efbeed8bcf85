import "server-only";
import { prisma } from "@/lib/db";

export interface RunStatus {
  id: string;
  versionNumber: number | null;
  versionId: string;
  kind: string;
  createdAt: Date;
  total: number;
  pending: number;
  sending: number;
  sent: number;
  failed: number;
}

/** Delivery status per notification run, newest first. */
export async function listNotificationRuns(
  options: { versionId?: string; limit?: number } = {},
): Promise<RunStatus[]> {
  const runs = await prisma.notificationRun.findMany({
    where: options.versionId ? { versionId: options.versionId } : {},
    orderBy: { createdAt: "desc" },
    take: options.limit ?? 20,
    select: {
      id: true,
      kind: true,
      createdAt: true,
      total: true,
      versionId: true,
      version: { select: { number: true } },
    },
  });
  if (runs.length === 0) return [];
  const counts = await prisma.notification.groupBy({
    by: ["runId", "status"],
    where: { runId: { in: runs.map((r) => r.id) } },
    _count: { _all: true },
  });
  return runs.map((run) => {
    const of = (status: string) =>
      counts.find((c) => c.runId === run.id && c.status === status)?._count._all ?? 0;
    return {
      id: run.id,
      versionId: run.versionId,
      versionNumber: run.version.number,
      kind: run.kind,
      createdAt: run.createdAt,
      total: run.total,
      pending: of("PENDING"),
      sending: of("SENDING"),
      sent: of("SENT"),
      failed: of("FAILED"),
    };
  });
}

/** The most recent failures of a run, so an admin can see why. */
export async function listFailures(runId: string, limit = 20) {
  return prisma.notification.findMany({
    where: { runId, status: "FAILED" },
    orderBy: { id: "asc" },
    take: limit,
    select: { id: true, email: true, attempts: true, lastError: true },
  });
}
