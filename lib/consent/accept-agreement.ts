import "server-only";
import { prisma } from "@/lib/db";
import { now } from "@/lib/clock";
import { appendConsentEvent } from "@/lib/ledger/append";
import { getVersionInEffect } from "@/lib/agreements/versions";
import { shownTextsBySha256 } from "@/lib/agreements/translations";
import type { RequestMeta } from "@/lib/http/request-meta";
import type { ConsentMethod } from "@/lib/generated/prisma/enums";
import { fail, ok, type Result } from "@/lib/result";
import { emailConfirmed, unverifiedRefusal } from "@/lib/accounts/verified";

export interface AcceptAgreementOptions {
  subjectId: string;
  versionId: string;
  /**
   * SHA-256 of the text the user was shown, sent back by the page: the
   * version's own text or one of its translations. The event records it, with
   * that text's language as the locale.
   */
  shownSha256: string;
  method: ConsentMethod;
  meta: Pick<RequestMeta, "ipTruncated" | "userAgent" | "locale">;
}

/**
 * Records that the subject accepted a version: the one in effect, or a
 * scheduled one accepted early. Accepting the same version twice records one
 * event (the idempotency key is the version).
 */
export async function acceptAgreement(
  options: AcceptAgreementOptions,
): Promise<Result<{ eventId: string; versionNumber: number; replayed: boolean }>> {
  const at = now();
  const [version, inEffect, confirmed] = await Promise.all([
    prisma.agreementVersion.findFirst({
      where: { id: options.versionId, publishedAt: { not: null } },
      select: { id: true, number: true, bodySha256: true, effectiveAt: true },
    }),
    getVersionInEffect(at),
    emailConfirmed(options.subjectId),
  ]);
  // An account whose address is not confirmed may read the agreement, not accept it.
  if (!confirmed) return unverifiedRefusal();
  const shown = version ? (await shownTextsBySha256(version.id)).get(options.shownSha256) : undefined;
  const decided = decideAcceptance(version, inEffect?.number ?? null, shown);
  if (!decided.ok) return decided;
  const event = await appendConsentEvent({
    subjectId: options.subjectId,
    action: "AGREEMENT_ACCEPTED",
    versionId: decided.data.id,
    versionNumber: decided.data.number,
    purposeKey: null,
    noticeSha256: options.shownSha256,
    method: options.method,
    ipTruncated: options.meta.ipTruncated,
    userAgent: options.meta.userAgent,
    locale: decided.data.locale,
    idempotencyKey: `agreement:${decided.data.id}`,
  });
  return ok({ eventId: event.id, versionNumber: decided.data.number, replayed: event.replayed });
}

/**
 * The refusals of an acceptance, decided before anything is written: the
 * version must be published, not older than the one in effect (a scheduled
 * one may be accepted early), and the text shown must be its text or one of
 * its published translations (`shown`: that text's language, if it is).
 */
export function decideAcceptance(
  version: { id: string; number: number | null } | null | undefined,
  inEffectNumber: number | null,
  shown: { locale: string } | undefined,
): Result<{ id: string; number: number; locale: string }> {
  if (!version || version.number === null) {
    return fail(404, "version_not_found", "This agreement version does not exist or is not published.");
  }
  if (version.number < (inEffectNumber ?? 0)) {
    return fail(409, "stale_version", "A newer version of the agreement is in effect. Reload to read it.");
  }
  if (!shown) {
    return fail(
      409,
      "text_mismatch",
      "The text you were shown is not this version's text. Reload and read it again.",
    );
  }
  return ok({ id: version.id, number: version.number, locale: shown.locale });
}

/** The subject's accepted version (projection), or null. */
export async function getAcceptance(subjectId: string) {
  return prisma.consentSubject.findUnique({
    where: { subjectId },
    select: { acceptedVersionId: true, acceptedVersionNumber: true, acceptedAt: true },
  });
}
