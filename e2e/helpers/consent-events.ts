import type pg from "pg";
import { appendConsentEvent } from "@/lib/ledger/append";

interface PurposeChange {
  purposeKey: string;
  action: "PURPOSE_GRANTED" | "PURPOSE_WITHDRAWN";
  method: "WEB" | "API";
  idempotencyKey: string;
}

/** Appends a user's grant or withdrawal under version 1's notice, straight to the ledger. */
export async function changeV1Purpose(db: pg.Pool, subjectId: string, change: PurposeChange) {
  const { rows } = await db.query<{ id: string; notice_sha256: string }>(
    `SELECT v.id, p.notice_sha256 FROM agreement_versions v JOIN purposes p ON p.version_id = v.id
      WHERE v.number = 1 AND p.key = $1`,
    [change.purposeKey],
  );
  const [v1] = rows;
  if (!v1) throw new Error(`version 1 has no purpose ${change.purposeKey}`);
  return appendConsentEvent({
    subjectId,
    versionId: v1.id,
    versionNumber: 1,
    noticeSha256: v1.notice_sha256,
    ipTruncated: "127.0.0.0",
    userAgent: "e2e",
    locale: "en",
    ...change,
  });
}
