import "server-only";
import { prisma } from "@/lib/db";
import { now } from "@/lib/clock";
import { withStates } from "@/lib/agreements/version-state";
import { purposeFields } from "@/lib/agreements/purposes";

export type { VersionState } from "@/lib/agreements/version-state";

/** What a list of versions shows of each one. */
const versionSummary = {
  id: true,
  number: true,
  title: true,
  changeSummary: true,
  material: true,
  effectiveAt: true,
  lastUpdated: true,
  publishedAt: true,
  label: true,
  historical: true,
} as const;

const publishedVersion = { ...versionSummary, locale: true, bodyMarkdown: true, bodySha256: true } as const;

const versionPurposes = { select: purposeFields, orderBy: { position: "asc" } } as const;

/** Selects the published version whose effective date has come most recently. */
export function inEffectAt(at: Date) {
  return {
    where: { publishedAt: { not: null }, effectiveAt: { lte: at } },
    orderBy: [{ effectiveAt: "desc" as const }, { number: "desc" as const }],
  };
}

export async function getVersionInEffect(at: Date = now()) {
  return prisma.agreementVersion.findFirst({ ...inEffectAt(at), select: publishedVersion });
}

export type PublishedVersion = NonNullable<Awaited<ReturnType<typeof getVersionInEffect>>>;

/** The published version with the highest number: in effect, or scheduled (what users were last told). */
export async function getLatestPublishedVersion() {
  return prisma.agreementVersion.findFirst({
    where: { publishedAt: { not: null } },
    orderBy: { number: "desc" },
    select: { ...publishedVersion, purposes: versionPurposes },
  });
}

/** The next published version still waiting for its effective date, if any. */
export async function getUpcomingVersion(at: Date = now()) {
  return prisma.agreementVersion.findFirst({
    where: { publishedAt: { not: null }, effectiveAt: { gt: at } },
    orderBy: [{ effectiveAt: "asc" }, { number: "asc" }],
    select: publishedVersion,
  });
}

/** Every version, drafts first, each with its state derived from its dates and the clock. */
export async function listVersionsForAdmin(at: Date = now()) {
  const versions = await prisma.agreementVersion.findMany({
    orderBy: [{ number: { sort: "desc", nulls: "first" } }, { createdAt: "desc" }],
    select: { ...versionSummary, createdAt: true, updatedAt: true, _count: { select: { purposes: true } } },
  });
  return withStates(versions, at);
}

/** Published versions, newest first, with their states. */
export async function listPublishedVersions(at: Date = now()) {
  const versions = await prisma.agreementVersion.findMany({
    where: { publishedAt: { not: null } },
    orderBy: { number: "desc" },
    select: versionSummary,
  });
  return withStates(versions, at);
}

export async function getPublishedVersion(number: number) {
  return prisma.agreementVersion.findFirst({
    where: { number, publishedAt: { not: null } },
    select: { ...publishedVersion, purposes: versionPurposes },
  });
}

export type PublishedVersionWithPurposes = NonNullable<Awaited<ReturnType<typeof getPublishedVersion>>>;

/** Any version, draft or published, for the admin editor. */
export async function getVersionForAdmin(id: string) {
  return prisma.agreementVersion.findUnique({
    where: { id },
    select: {
      ...publishedVersion,
      createdAt: true,
      updatedAt: true,
      basedOnId: true,
      purposes: versionPurposes,
    },
  });
}

export type AdminVersion = NonNullable<Awaited<ReturnType<typeof getVersionForAdmin>>>;
