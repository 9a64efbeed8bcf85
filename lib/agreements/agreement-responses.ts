import "server-only";
import { prisma } from "@/lib/db";
import { appendConsentEvent } from "@/lib/consent/ledger";
import type { RequestMeta } from "@/lib/http/request-meta";
import { fail, ok, type Result } from "@/lib/result";

export interface ResponseOptions {
  subjectId: string;
  versionId: string;
  meta: Pick<RequestMeta, "ipTruncated" | "userAgent" | "locale">;
}

async function publishedVersion(versionId: string) {
  return prisma.agreementVersion.findFirst({
    where: { id: versionId, publishedAt: { not: null }, number: { not: null } },
    select: { id: true, number: true, bodySha256: true, material: true },
  });
}

/**
 * The user said explicitly that they do not accept this version. Recorded in
 * the ledger as evidence; their earlier acceptance stays what it was.
 */
export async function declineAgreement(
  options: ResponseOptions,
): Promise<Result<{ eventId: string; versionNumber: number }>> {
  const version = await publishedVersion(options.versionId);
  if (!version || version.number === null)
    return fail(404, "version_not_found", "This agreement version does not exist.");
  const event = await appendConsentEvent({
    subjectId: options.subjectId,
    action: "AGREEMENT_DECLINED",
    versionId: version.id,
    versionNumber: version.number,
    purposeKey: null,
    noticeSha256: version.bodySha256,
    method: "WEB",
    ipTruncated: options.meta.ipTruncated,
    userAgent: options.meta.userAgent,
    locale: options.meta.locale,
    idempotencyKey: `decline:${version.id}`,
  });
  return ok({ eventId: event.id, versionNumber: version.number });
}

/** The user dismissed the notice of a non-material revision: recorded, so it is not shown again. */
export async function acknowledgeNotice(
  options: ResponseOptions,
): Promise<Result<{ eventId: string; versionNumber: number }>> {
  const version = await publishedVersion(options.versionId);
  if (!version || version.number === null)
    return fail(404, "version_not_found", "This agreement version does not exist.");
  if (version.material) {
    return fail(
      409,
      "material_version",
      "This version changes the agreement materially: it needs your acceptance, not a dismissal.",
    );
  }
  const event = await appendConsentEvent({
    subjectId: options.subjectId,
    action: "NOTICE_ACKNOWLEDGED",
    versionId: version.id,
    versionNumber: version.number,
    purposeKey: null,
    noticeSha256: version.bodySha256,
    method: "WEB",
    ipTruncated: options.meta.ipTruncated,
    userAgent: options.meta.userAgent,
    locale: options.meta.locale,
    idempotencyKey: `notice:${version.id}`,
  });
  return ok({ eventId: event.id, versionNumber: version.number });
}
