import "server-only";
import { prisma } from "@/lib/db";

/**
 * Everything held about one subject except their consent events, which are
 * streamed (stream.ts). Each part is small: one account, a handful of
 * versions and notices, the user's emails and requests.
 */
export async function findAccount(subjectId: string) {
  return prisma.user.findUnique({
    where: { id: subjectId },
    select: { id: true, email: true, role: true, locale: true, createdAt: true, deregisteredAt: true },
  });
}

export type Account = NonNullable<Awaited<ReturnType<typeof findAccount>>>;

export async function collectSubjectData(account: Account) {
  const subjectId = account.id;
  const [agreement, consent, versionsAccepted, noticesAccepted, emails, requests] = await Promise.all([
    prisma.consentSubject.findUnique({
      where: { subjectId },
      select: {
        acceptedVersionNumber: true,
        acceptedAt: true,
        acknowledgedVersionNumber: true,
        gpcAppliedAt: true,
      },
    }),
    prisma.consentState.findMany({
      where: { subjectId },
      orderBy: { purposeKey: "asc" },
      select: {
        purposeKey: true,
        granted: true,
        versionNumber: true,
        noticeSha256: true,
        method: true,
        updatedAt: true,
      },
    }),
    // Grouped in SQL: a subject may have accepted the same version many times
    // (re-acceptance after a decline); one row per version, first acceptance.
    prisma.$queryRaw<
      {
        versionNumber: number;
        title: string;
        bodySha256: string;
        effectiveAt: Date | null;
        firstAcceptedAt: Date;
      }[]
    >`SELECT e.version_number AS "versionNumber", v.title, v.body_sha256 AS "bodySha256",
             v.effective_at AS "effectiveAt", min(e.recorded_at) AS "firstAcceptedAt"
      FROM consent_events e JOIN agreement_versions v ON v.id = e.version_id
      WHERE e.subject_id = ${subjectId}::uuid AND e.action = 'AGREEMENT_ACCEPTED'
      GROUP BY e.version_number, v.title, v.body_sha256, v.effective_at
      ORDER BY e.version_number`,
    prisma.$queryRaw<
      {
        versionNumber: number;
        purposeKey: string;
        purposeName: string | null;
        noticeSha256: string;
        firstAcceptedAt: Date;
      }[]
    >`SELECT e.version_number AS "versionNumber", e.purpose_key AS "purposeKey", p.name AS "purposeName",
             e.notice_sha256 AS "noticeSha256", min(e.recorded_at) AS "firstAcceptedAt"
      FROM consent_events e
      LEFT JOIN purposes p ON p.version_id = e.version_id AND p.key = e.purpose_key
      WHERE e.subject_id = ${subjectId}::uuid AND e.purpose_key IS NOT NULL
        AND e.action IN ('PURPOSE_GRANTED', 'NOTICE_ACKNOWLEDGED')
      GROUP BY e.version_number, e.purpose_key, p.name, e.notice_sha256
      ORDER BY e.version_number, e.purpose_key`,
    prisma.notification.findMany({
      where: { userId: subjectId },
      orderBy: { id: "asc" },
      select: { kind: true, email: true, status: true, createdAt: true, sentAt: true, payload: true },
    }),
    prisma.rightsRequest.findMany({
      where: { subjectId },
      orderBy: { receivedAt: "asc" },
      select: {
        reference: true,
        type: true,
        status: true,
        message: true,
        receivedAt: true,
        dueAt: true,
        closedAt: true,
        outcome: true,
      },
    }),
  ]);
  return {
    account,
    agreement,
    consent,
    versionsAccepted,
    noticesAccepted,
    emails: emails.map(({ email, ...mail }) => ({ ...mail, to: email })),
    requests,
  };
}

export type SubjectData = Awaited<ReturnType<typeof collectSubjectData>>;

/** The versions (with purposes) a receipt names, loaded once per export. */
export async function receiptVersions(subjectId: string) {
  const versions = await prisma.agreementVersion.findMany({
    where: { id: { in: (await distinctVersionIds(subjectId)).map((row) => row.versionId) } },
    select: {
      id: true,
      number: true,
      title: true,
      purposes: {
        orderBy: { position: "asc" },
        select: { key: true, name: true, description: true, basic: true, dpvTerm: true },
      },
    },
  });
  return new Map(versions.map(({ id, ...version }) => [id, version]));
}

function distinctVersionIds(subjectId: string) {
  return prisma.$queryRaw<{ versionId: string }[]>`
    SELECT DISTINCT version_id::text AS "versionId" FROM consent_events WHERE subject_id = ${subjectId}::uuid`;
}
