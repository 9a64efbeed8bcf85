import "server-only";
import { prisma } from "@/lib/db";
import type { ConsentAction, ConsentMethod } from "@/lib/generated/prisma/enums";

export const HISTORY_PAGE_SIZE = 50;

export interface HistoryEvent {
  id: string;
  seq: number;
  action: ConsentAction;
  method: ConsentMethod;
  recordedAt: Date;
  versionNumber: number;
  purposeKey: string | null;
  /** The purpose's name in the version the event was recorded under. */
  purposeName: string | null;
  /**
   * When the event's personal details were pruned (retention, docs/ledger.md
   * §12), or null. Its receipt says so, and its place in the log still proves it.
   */
  prunedAt: Date | null;
}

/**
 * The subject's own events, newest first, a page at a time (`before` is a
 * seq). The subject is part of the query: another user's events never match.
 */
export async function listConsentEvents(
  subjectId: string,
  options: { before?: number | undefined; limit?: number } = {},
): Promise<{ events: HistoryEvent[]; nextBefore: number | null }> {
  const limit = options.limit ?? HISTORY_PAGE_SIZE;
  const rows = await prisma.consentEvent.findMany({
    where: { subjectId, ...(options.before !== undefined ? { seq: { lt: options.before } } : {}) },
    orderBy: { seq: "desc" },
    take: limit + 1,
    select: {
      id: true,
      seq: true,
      action: true,
      method: true,
      recordedAt: true,
      versionId: true,
      versionNumber: true,
      purposeKey: true,
      prunedAt: true,
    },
  });
  const page = rows.slice(0, limit);
  const purposes = await prisma.purpose.findMany({
    where: { versionId: { in: [...new Set(page.map((event) => event.versionId))] } },
    select: { versionId: true, key: true, name: true },
  });
  const names = new Map(purposes.map((p) => [`${p.versionId}/${p.key}`, p.name]));
  return {
    events: page.map(({ versionId, ...event }) => ({
      ...event,
      purposeName: event.purposeKey
        ? (names.get(`${versionId}/${event.purposeKey}`) ?? event.purposeKey)
        : null,
    })),
    nextBefore: rows.length > limit ? (page.at(-1)?.seq ?? null) : null,
  };
}

/** One of the subject's own events with what its receipt needs, or null (also for another user's event). */
export async function getOwnEventForReceipt(subjectId: string, eventId: string) {
  const event = await prisma.consentEvent.findFirst({ where: { id: eventId, subjectId } });
  if (!event) return null;
  const version = await prisma.agreementVersion.findUnique({
    where: { id: event.versionId },
    select: {
      number: true,
      title: true,
      effectiveAt: true,
      purposes: {
        orderBy: { position: "asc" },
        select: { key: true, name: true, description: true, basic: true, dpvTerm: true, noticeSha256: true },
      },
    },
  });
  return { event, version };
}

export type ReceiptSource = NonNullable<Awaited<ReturnType<typeof getOwnEventForReceipt>>>;
