import "server-only";
import { pool } from "@/lib/db";
import { fail } from "@/lib/result";
import { governingVersionIdSql } from "@/lib/agreements/governing-version-sql";
import { appendConsentEvent } from "@/lib/ledger/append";
import { decideAcceptance } from "@/lib/consent/accept-agreement";
import {
  decidePurposeChange,
  recordPurposeChange,
  type PurposeChangeTarget,
} from "@/lib/consent/change-purpose";
import { truncateIp } from "@/lib/http/request-meta";
import { effectiveSubjectSql } from "@/lib/service-api/subject-links";
import { API_KEY_CTES, type KeyRow } from "@/lib/api-keys/authenticate";
import { ensureExternalSubject } from "@/lib/service-api/subjects";
import type { KeyGate, Outcome } from "@/lib/service-api/operation";
import type { RecordDecisionBody, RecordedDecisionOut } from "@/lib/service-api/schemas";

// Recording a decision the user made in the service's own product (method
// APP). One statement checks the key and reads everything the refusals need;
// a second appends through the ledger's one append path. A purpose decision
// is recorded against the subject's current version (governingVersionIdSql). A subject's first
// acceptance creates it (lib/service-api/subjects.ts) between the two.
const TARGET_SQL = `
WITH ${API_KEY_CTES}
SELECT k.*, ${effectiveSubjectSql("e")}::text AS subject_uuid,
  av.id::text AS version_id, av.number AS version_number,
  p.version_id::text AS purpose_version_id, p.basic, p.notice_sha256, av.locale AS version_locale,
  (SELECT json_object_agg(pt.notice_sha256, pt.locale) FROM purpose_translations pt
    WHERE pt.purpose_id = p.id AND pt.published_at IS NOT NULL) AS translations,
  v.id::text AS offered_id, v.number AS offered_number,
  (SELECT u.deregistered_at IS NOT NULL FROM users u WHERE u.id = s.subject_id) AS account_closed,
  (SELECT x.locale FROM (SELECT v.locale, v.body_sha256 UNION ALL
      SELECT t.locale, t.body_sha256 FROM agreement_translations t
       WHERE t.version_id = v.id AND t.published_at IS NOT NULL) x
    WHERE x.body_sha256 = $6 LIMIT 1) AS shown_locale,
  (SELECT iv.number FROM agreement_versions iv
    WHERE iv.published_at IS NOT NULL AND iv.number IS NOT NULL AND iv.effective_at <= $2::timestamptz
    ORDER BY iv.effective_at DESC, iv.number DESC LIMIT 1) AS in_effect_number
FROM (SELECT $3::text AS external_id) q
LEFT JOIN api_key k ON true
LEFT JOIN external_subjects e ON e.external_id = q.external_id
LEFT JOIN consent_subjects s ON s.subject_id = ${effectiveSubjectSql("e")}
LEFT JOIN agreement_versions av ON av.id = ${governingVersionIdSql("s", "$2::timestamptz")}
LEFT JOIN purposes p ON p.version_id = av.id AND p.key = $4
LEFT JOIN agreement_versions v ON v.number = $5::int AND v.published_at IS NOT NULL`;

type TargetRow = { [K in keyof KeyRow]: KeyRow[K] | null } & PurposeChangeTarget & {
    subject_uuid: string | null;
    offered_id: string | null;
    offered_number: number | null;
    /** The language of the version's text, or of its translation, whose SHA-256 was sent. */
    shown_locale: string | null;
    in_effect_number: number | null;
    /** The subject is a linked account that was closed (deregistered); null without an account. */
    account_closed: boolean | null;
  };

export interface RecordDecisionOptions {
  gate: KeyGate;
  externalId: string;
  decision: RecordDecisionBody;
  idempotencyKey: string;
  at: Date;
}

export async function recordDecision(options: RecordDecisionOptions): Promise<Outcome<RecordedDecisionOut>> {
  const { decision, externalId } = options;
  const { rows } = await pool.query<TargetRow>({
    name: "record-decision-target-v7",
    text: TARGET_SQL,
    values: [
      options.gate.sha256,
      options.at.toISOString(),
      externalId,
      decision.decision === "accept-agreement" ? null : decision.purposeKey,
      decision.decision === "accept-agreement" ? decision.versionNumber : null,
      decision.decision === "accept-agreement" ? decision.noticeSha256 : null,
    ],
  });
  const row = rows[0];
  if (!row) throw new Error("record decision: the query returned no row");
  const checked = await options.gate.decide(row.key_id === null ? undefined : (row as KeyRow));
  if (!checked.ok) return checked;
  const keyId = checked.caller.id;
  if (row.account_closed)
    return fail(
      409,
      "account_closed",
      "This person closed their account (deregistered, agreement §6.5): nothing more is recorded for them.",
    );
  const evidence = {
    ipTruncated: truncateIp(decision.evidence.ipAddress),
    userAgent: decision.evidence.userAgent?.trim() || null,
    locale: decision.evidence.locale ?? null,
    gpc: false,
  };

  if (decision.decision === "accept-agreement") {
    const version = row.offered_id ? { id: row.offered_id, number: row.offered_number } : null;
    const shown = row.shown_locale ? { locale: row.shown_locale } : undefined;
    const decided = decideAcceptance(version, row.in_effect_number, shown);
    if (!decided.ok) return decided;
    const subjectId = row.subject_uuid ?? (await ensureExternalSubject(externalId, keyId));
    const event = await appendConsentEvent({
      subjectId,
      action: "AGREEMENT_ACCEPTED",
      versionId: decided.data.id,
      versionNumber: decided.data.number,
      purposeKey: null,
      noticeSha256: decision.noticeSha256,
      method: "APP",
      ipTruncated: evidence.ipTruncated,
      userAgent: evidence.userAgent,
      // The language of the text accepted (as accept-agreement.ts records it).
      locale: decided.data.locale,
      // One acceptance per version, whichever channel records it (as accept-agreement.ts).
      idempotencyKey: `agreement:${decided.data.id}`,
    });
    return answer(externalId, event.replayed, {
      id: event.id,
      seq: event.seq,
      hash: event.hash,
      recordedAt: event.recordedAt.toISOString(),
      action: "AGREEMENT_ACCEPTED",
      method: event.method,
      purposeKey: null,
      versionNumber: event.versionNumber,
    });
  }

  const target = decidePurposeChange(row.subject_uuid ? row : undefined, decision);
  if (!target.ok) return target;
  const changed = await recordPurposeChange(target.data, {
    subjectId: row.subject_uuid as string,
    purposeKey: decision.purposeKey,
    action: decision.decision,
    method: "APP",
    meta: evidence,
    // Namespaced by key: two services' Idempotency-Keys never collide.
    idempotencyKey: `app:${keyId}:${options.idempotencyKey}`,
  });
  if (!changed.ok) return changed;
  const event = changed.data.event;
  return answer(externalId, changed.data.replayed, {
    ...event,
    method: event.method as RecordedDecisionOut["event"]["method"],
  });
}

function answer(
  subjectId: string,
  replayed: boolean,
  event: RecordedDecisionOut["event"],
): Outcome<RecordedDecisionOut> {
  return {
    ok: true,
    status: replayed ? 200 : 201,
    headers: { "Idempotent-Replayed": String(replayed) },
    data: { subjectId, replayed, event },
  };
}
