import "server-only";
import { prisma } from "@/lib/db";
import { appendConsentEvent } from "@/lib/ledger/append";
import type { RequestMeta } from "@/lib/http/request-meta";
import { fail, ok, type Failure, type Result } from "@/lib/result";
import { emailConfirmed, unverifiedRefusal } from "@/lib/accounts/verified";

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

type Response = Result<{ eventId: string; versionNumber: number }>;
type Version = NonNullable<Awaited<ReturnType<typeof publishedVersion>>>;

/** Records the user's response to a published version in the ledger, unless `refuse` objects first. */
async function recordResponse(
  options: ResponseOptions,
  action: "AGREEMENT_DECLINED" | "NOTICE_ACKNOWLEDGED",
  idempotencyPrefix: string,
  refuse: (version: Version) => Failure | null = () => null,
): Promise<Response> {
  const [version, confirmed] = await Promise.all([
    publishedVersion(options.versionId),
    emailConfirmed(options.subjectId),
  ]);
  if (!confirmed) return unverifiedRefusal();
  if (!version || version.number === null)
    return fail(404, "version_not_found", "This agreement version does not exist.");
  const refusal = refuse(version);
  if (refusal) return refusal;
  const event = await appendConsentEvent({
    subjectId: options.subjectId,
    action,
    versionId: version.id,
    versionNumber: version.number,
    purposeKey: null,
    noticeSha256: version.bodySha256,
    method: "WEB",
    ipTruncated: options.meta.ipTruncated,
    userAgent: options.meta.userAgent,
    locale: options.meta.locale,
    idempotencyKey: `${idempotencyPrefix}:${version.id}`,
  });
  return ok({ eventId: event.id, versionNumber: version.number });
}

/**
 * The user said explicitly that they do not accept this version. Recorded in
 * the ledger as evidence; their earlier acceptance stays what it was.
 */
export async function declineAgreement(options: ResponseOptions): Promise<Response> {
  return recordResponse(options, "AGREEMENT_DECLINED", "decline");
}

/** The user dismissed the notice of a non-material revision: recorded, so it is not shown again. */
export async function acknowledgeNotice(options: ResponseOptions): Promise<Response> {
  return recordResponse(options, "NOTICE_ACKNOWLEDGED", "notice", (version) =>
    version.material
      ? fail(
          409,
          "material_version",
          "This version changes the agreement materially: it needs your acceptance, not a dismissal.",
        )
      : null,
  );
}
