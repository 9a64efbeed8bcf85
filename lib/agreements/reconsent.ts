import "server-only";
import { prisma } from "@/lib/db";
import { now } from "@/lib/clock";
import {
  decideReconsent,
  governingVersionNumber,
  type PromptVersion,
  type ReconsentStatus,
} from "@/lib/agreements/reconsent-rules";
import { effectiveConsent } from "@/lib/consent/effective-consent";
import { inEffectAt } from "@/lib/agreements/versions";

export type { PromptVersion, ReconsentStatus };

async function publishedForPrompts(): Promise<PromptVersion[]> {
  const rows = await prisma.agreementVersion.findMany({
    where: { publishedAt: { not: null }, number: { not: null }, effectiveAt: { not: null } },
    select: {
      id: true,
      number: true,
      title: true,
      bodySha256: true,
      changeSummary: true,
      material: true,
      effectiveAt: true,
      historical: true,
    },
  });
  return rows.map((r) => ({ ...r, number: r.number as number, effectiveAt: r.effectiveAt as Date }));
}

export async function getReconsentStatus(userId: string, at: Date = now()): Promise<ReconsentStatus> {
  const [versions, subject] = await Promise.all([
    publishedForPrompts(),
    prisma.consentSubject.findUnique({
      where: { subjectId: userId },
      select: { acceptedVersionNumber: true, acknowledgedVersionNumber: true },
    }),
  ]);
  return decideReconsent(versions, subject, at);
}

/**
 * Optional purposes of the user's current version (governingVersionNumber) that they granted under an
 * earlier notice: the notice changed, so the grant no longer counts (PIPL
 * Art. 14) and they need to grant it again.
 */
export async function getPurposesNeedingFreshConsent(userId: string, at: Date = now()) {
  const [inEffect, subject] = await Promise.all([
    prisma.agreementVersion.findFirst({ ...inEffectAt(at), select: { number: true } }),
    prisma.consentSubject.findUnique({
      where: { subjectId: userId },
      select: { acceptedVersionNumber: true },
    }),
  ]);
  // The same version the preference centre lists and grants record against.
  const current = governingVersionNumber(inEffect?.number ?? null, subject?.acceptedVersionNumber ?? null);
  if (current === null) return [];
  const version = await prisma.agreementVersion.findFirst({
    where: { number: current, publishedAt: { not: null } },
    select: {
      purposes: {
        select: {
          key: true,
          name: true,
          basic: true,
          noticeSha256: true,
          translations: { where: { publishedAt: { not: null } }, select: { noticeSha256: true } },
        },
        orderBy: { position: "asc" },
      },
    },
  });
  if (!version) return [];
  const states = await prisma.consentState.findMany({
    where: { subjectId: userId },
    select: { purposeKey: true, granted: true, noticeSha256: true },
  });
  const byKey = new Map(states.map((s) => [s.purposeKey, s]));
  return version.purposes
    .filter(
      (p) =>
        effectiveConsent(
          { ...p, translationNoticeSha256s: p.translations.map((t) => t.noticeSha256) },
          byKey.get(p.key),
        ) === "needs-fresh-consent",
    )
    .map(({ key, name }) => ({ key, name }));
}
