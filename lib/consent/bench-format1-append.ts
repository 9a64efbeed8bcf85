import "server-only";
// The ledger append as format 1 did it (before issue 10: commit 717a84b^,
// lib/ledger/append.ts), kept only as the same-run baseline of
// bench/consent-append.ts: the consent route must not lose more than 5 % of
// its throughput against it. Imported only by the bench route
// (app/api/test/bench-consent-format1/route.test-build.ts), which exists only
// in builds made for tests; a production build has none of it
// (tests/build/production-build.int.test.ts).
//
// Format 1 did the same work as today's append minus the log: no Ed25519
// signature of the content, no signature columns, one CTE statement sent from
// the app instead of the SECURITY DEFINER function (hash template split in
// JS, the hash computed in SQL). It writes to copies of the three ledger
// tables in the schema `bench_format1` (same columns, indexes, constraints
// and webhook trigger: BENCH_FORMAT1_SCHEMA_SQL), so the real ledger only
// ever holds signed events.
import { randomUUID } from "node:crypto";
import { pool } from "@/lib/db";
import { now } from "@/lib/clock";
import { GENESIS_HASH, canonicalEvent } from "@/lib/ledger/event-hash";
import type { AppendEventInput, AppendedEvent } from "@/lib/ledger/append";
import type { ConsentAction, ConsentMethod } from "@/lib/generated/prisma/enums";

/** Run by the bench as the tables' owner before the app serves the baseline route. */
export const BENCH_FORMAT1_SCHEMA_SQL = `
CREATE SCHEMA bench_format1;
CREATE TABLE bench_format1.consent_subjects (LIKE public.consent_subjects INCLUDING ALL);
CREATE TABLE bench_format1.consent_events (LIKE public.consent_events INCLUDING ALL);
CREATE TABLE bench_format1.consent_states (LIKE public.consent_states INCLUDING ALL);
ALTER TABLE bench_format1.consent_states ADD FOREIGN KEY (subject_id)
  REFERENCES bench_format1.consent_subjects (subject_id);
CREATE TRIGGER consent_events_webhooks AFTER INSERT ON bench_format1.consent_events
  FOR EACH ROW EXECUTE FUNCTION public.accord_webhooks_on_consent_event();
`;

const PREV_MARK = `"prevHash":"${GENESIS_HASH}"`;
const SEQ_MARK = `,"seq":0,"subjectId":`;

/** Format 1's hash template: the canonical JSON split around prevHash and seq, which only the database knows. */
function hashTemplate(fields: Parameters<typeof canonicalEvent>[0]) {
  const text = canonicalEvent(fields);
  const prevAt = text.indexOf(PREV_MARK);
  const seqAt = text.indexOf(SEQ_MARK);
  return {
    a: text.slice(0, prevAt + `"prevHash":"`.length),
    b: text.slice(prevAt + PREV_MARK.length - 1, seqAt + `,"seq":`.length),
    c: text.slice(seqAt + `,"seq":0`.length),
  };
}

// Format 1's statement, table names qualified with the bench schema.
const APPEND_SQL = `
WITH locked AS (
  SELECT seq, head_hash FROM bench_format1.consent_subjects WHERE subject_id = $1::uuid FOR UPDATE
), prior AS (
  SELECT id, seq, hash, prev_hash, recorded_at, action, purpose_key, method, version_number
  FROM bench_format1.consent_events WHERE subject_id = $1::uuid AND idempotency_key = $2
), computed AS (
  SELECT l.seq + 1 AS seq, l.head_hash AS prev_hash,
    encode(sha256(convert_to($3::text || l.head_hash || $4::text || (l.seq + 1)::text || $5::text, 'UTF8')), 'hex') AS hash
  FROM locked l WHERE NOT EXISTS (SELECT 1 FROM prior)
), ins AS (
  INSERT INTO bench_format1.consent_events (id, subject_id, seq, action, version_id, version_number, purpose_key,
    notice_sha256, method, recorded_at, ip_truncated, user_agent, locale, idempotency_key, prev_hash, hash)
  SELECT $6::uuid, $1::uuid, c.seq, $7::"ConsentAction", $8::uuid, $9::int, $10, $11, $12::"ConsentMethod",
    $13::timestamptz, $14, $15, $16, $2, c.prev_hash, c.hash
  FROM computed c
  ON CONFLICT (subject_id, idempotency_key) DO NOTHING
  RETURNING id, seq, hash, prev_hash, action, purpose_key, method, version_number
), head AS (
  UPDATE bench_format1.consent_subjects s SET seq = ins.seq, head_hash = ins.hash, updated_at = $13::timestamptz,
    accepted_version_id = CASE WHEN ins.action = 'AGREEMENT_ACCEPTED' THEN $8::uuid ELSE s.accepted_version_id END,
    accepted_version_number = CASE WHEN ins.action = 'AGREEMENT_ACCEPTED' THEN $9::int ELSE s.accepted_version_number END,
    accepted_at = CASE WHEN ins.action = 'AGREEMENT_ACCEPTED' THEN $13::timestamptz ELSE s.accepted_at END,
    acknowledged_version_number = CASE WHEN ins.action = 'NOTICE_ACKNOWLEDGED'
      THEN GREATEST(COALESCE(s.acknowledged_version_number, 0), $9::int) ELSE s.acknowledged_version_number END,
    gpc_applied_at = CASE $17::text WHEN 'set' THEN $13::timestamptz WHEN 'clear' THEN NULL
      ELSE s.gpc_applied_at END
  FROM ins WHERE s.subject_id = $1::uuid
), state AS (
  INSERT INTO bench_format1.consent_states (subject_id, purpose_key, granted, version_number, notice_sha256, method,
    event_id, updated_at)
  SELECT $1::uuid, ins.purpose_key, ins.action = 'PURPOSE_GRANTED', $9::int, $11, $12::"ConsentMethod",
    ins.id, $13::timestamptz
  FROM ins WHERE ins.action IN ('PURPOSE_GRANTED', 'PURPOSE_WITHDRAWN')
  ON CONFLICT (subject_id, purpose_key) DO UPDATE SET granted = EXCLUDED.granted,
    version_number = EXCLUDED.version_number, notice_sha256 = EXCLUDED.notice_sha256,
    method = EXCLUDED.method, event_id = EXCLUDED.event_id, updated_at = EXCLUDED.updated_at
)
SELECT 'new' AS kind, id::text, seq, hash, prev_hash, $13::timestamptz AS recorded_at, action, purpose_key, method,
  version_number FROM ins
UNION ALL
SELECT 'prior', id::text, seq, hash, prev_hash, recorded_at, action, purpose_key, method, version_number FROM prior
UNION ALL
SELECT 'nohead', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL WHERE NOT EXISTS (SELECT 1 FROM locked)`;

const CREATE_HEAD_SQL = `INSERT INTO bench_format1.consent_subjects (subject_id, seq, head_hash, updated_at)
  VALUES ($1::uuid, 0, $2, $3) ON CONFLICT (subject_id) DO NOTHING`;

interface Row {
  kind: "new" | "prior" | "nohead";
  id: string;
  seq: number;
  hash: string;
  prev_hash: string;
  recorded_at: Date;
  action: ConsentAction;
  purpose_key: string | null;
  method: ConsentMethod;
  version_number: number;
}

/** The format 1 append, into the bench schema. Same input and result as appendConsentEvent. */
export async function benchFormat1Append(input: AppendEventInput): Promise<AppendedEvent> {
  const recordedAt = now();
  const id = randomUUID();
  const { a, b, c } = hashTemplate({
    id,
    subjectId: input.subjectId,
    seq: 0,
    action: input.action,
    versionId: input.versionId,
    versionNumber: input.versionNumber,
    purposeKey: input.purposeKey,
    noticeSha256: input.noticeSha256,
    method: input.method,
    recordedAt: recordedAt.toISOString(),
    ipTruncated: input.ipTruncated,
    userAgent: input.userAgent,
    locale: input.locale,
    idempotencyKey: input.idempotencyKey,
    prevHash: GENESIS_HASH,
  });
  const values = [
    input.subjectId,
    input.idempotencyKey,
    a,
    b,
    c,
    id,
    input.action,
    input.versionId,
    input.versionNumber,
    input.purposeKey,
    input.noticeSha256,
    input.method,
    recordedAt,
    input.ipTruncated,
    input.userAgent,
    input.locale,
    input.gpc ?? null,
  ];
  for (let attempt = 0; attempt < 2; attempt++) {
    const { rows } = await pool.query<Row>({ name: "bench-format1-append", text: APPEND_SQL, values });
    const row = rows[0];
    if (row?.kind === "nohead") {
      await pool.query(CREATE_HEAD_SQL, [input.subjectId, GENESIS_HASH, recordedAt]);
      continue;
    }
    if (!row) throw new Error("bench format 1 append: a concurrent append with the same key");
    return {
      id: row.id,
      seq: row.seq,
      hash: row.hash,
      prevHash: row.prev_hash,
      recordedAt: row.recorded_at,
      replayed: row.kind === "prior",
      action: row.action,
      purposeKey: row.purpose_key,
      method: row.method,
      versionNumber: row.version_number,
    };
  }
  throw new Error("bench format 1 append: the subject's head could not be created");
}
