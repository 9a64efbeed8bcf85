import "server-only";
// What the cache of public agreement pages (lib/server/fast-paths/agreement-pages.ts)
// needs from the database: when the next version takes effect (every cached
// page expires at that instant) and a fingerprint of what is published (a
// publish in another process, such as the import CLI, shows up in it).
import { prisma } from "@/lib/db";
import { now } from "@/lib/clock";

export interface PublishedState {
  /** Changes whenever a version is published. */
  fingerprint: string;
  /** The next instant at which a scheduled version takes effect, if any. */
  nextEffectiveAt: Date | null;
}

export async function publishedState(at: Date = now()): Promise<PublishedState> {
  const [summary, translations, next] = await Promise.all([
    prisma.agreementVersion.aggregate({
      where: { publishedAt: { not: null } },
      _count: { _all: true },
      _max: { publishedAt: true, number: true },
    }),
    // A published version may gain a translation later: its pages change then too.
    prisma.agreementTranslation.aggregate({
      where: { publishedAt: { not: null } },
      _count: { _all: true },
      _max: { publishedAt: true },
    }),
    prisma.agreementVersion.findFirst({
      where: { publishedAt: { not: null }, effectiveAt: { gt: at } },
      orderBy: { effectiveAt: "asc" },
      select: { effectiveAt: true },
    }),
  ]);
  return {
    fingerprint: [
      summary._count._all,
      summary._max.number ?? 0,
      summary._max.publishedAt?.toISOString() ?? "",
      translations._count._all,
      translations._max.publishedAt?.toISOString() ?? "",
    ].join(":"),
    nextEffectiveAt: next?.effectiveAt ?? null,
  };
}
