import "server-only";
import { randomUUID } from "node:crypto";
import { pool } from "@/lib/db";
import { now } from "@/lib/clock";
import { GENESIS_HASH } from "@/lib/ledger/event-hash";
import { hashTemplate } from "@/lib/ledger/hash-template";
import type { ConsentAction, ConsentMethod } from "@/lib/generated/prisma/enums";

export interface AppendEventInput {
  subjectId: string;
  action: ConsentAction;
  versionId: string;
  versionNumber: number;
  purposeKey: string | null;
  noticeSha256: string;
  method: ConsentMethod;
  ipTruncated: string | null;
  userAgent: string | null;
  locale: string | null;
  idempotencyKey: string;
  /**
   * In the same transaction, mark the subject's Global Privacy Control signal
   * as applied now ("set") or as no longer known to be on ("clear"), see gpc.ts.
   */
  gpc?: "set" | "clear";
}

export interface AppendedEvent {
  id: string;
  seq: number;
  hash: string;
  recordedAt: Date;
  /** True when an event with this idempotency key already existed: nothing new was written. */
  replayed: boolean;
  /** The stored event's fields (differ from the input only on a replay of another request). */
  action: ConsentAction;
  purposeKey: string | null;
  method: ConsentMethod;
  versionNumber: number;
}

interface Row {
  kind: "new" | "prior" | "nohead";
  id: string | null;
  seq: number | null;
  hash: string | null;
  recorded_at: Date | null;
  action: ConsentAction | null;
  purpose_key: string | null;
  method: ConsentMethod | null;
  version_number: number | null;
}

// One statement, so one round trip and one implicit transaction:
//  locked   row-locks the subject's chain head. In READ COMMITTED a waiter
//           gets the head as the previous appender committed it.
//  prior    an event already recorded under this idempotency key.
//  computed the new event's seq, prevHash and hash (hash-template.ts).
//  ins      the event; ON CONFLICT catches a same-key event committed while
//           we waited, which `prior` (statement snapshot) cannot see.
//  head     moves the chain head and the agreement projection.
//  state    the purpose projection.
// Everything after `ins` runs only if the event was written.
const APPEND_SQL = `
WITH locked AS (
  SELECT seq, head_hash FROM consent_subjects WHERE subject_id = $1::uuid FOR UPDATE
), prior AS (
  SELECT id, seq, hash, recorded_at, action, purpose_key, method, version_number FROM consent_events
  WHERE subject_id = $1::uuid AND idempotency_key = $2
), computed AS (
  SELECT l.seq + 1 AS seq, l.head_hash AS prev_hash,
    encode(sha256(convert_to($3::text || l.head_hash || $4::text || (l.seq + 1)::text || $5::text, 'UTF8')), 'hex') AS hash
  FROM locked l WHERE NOT EXISTS (SELECT 1 FROM prior)
), ins AS (
  INSERT INTO consent_events (id, subject_id, seq, action, version_id, version_number, purpose_key,
    notice_sha256, method, recorded_at, ip_truncated, user_agent, locale, idempotency_key, prev_hash, hash)
  SELECT $6::uuid, $1::uuid, c.seq, $7::"ConsentAction", $8::uuid, $9::int, $10, $11, $12::"ConsentMethod",
    $13::timestamptz, $14, $15, $16, $2, c.prev_hash, c.hash
  FROM computed c
  ON CONFLICT (subject_id, idempotency_key) DO NOTHING
  RETURNING id, seq, hash, action, purpose_key, method, version_number
), head AS (
  UPDATE consent_subjects s SET seq = ins.seq, head_hash = ins.hash, updated_at = $13::timestamptz,
    accepted_version_id = CASE WHEN ins.action = 'AGREEMENT_ACCEPTED' THEN $8::uuid ELSE s.accepted_version_id END,
    accepted_version_number = CASE WHEN ins.action = 'AGREEMENT_ACCEPTED' THEN $9::int ELSE s.accepted_version_number END,
    accepted_at = CASE WHEN ins.action = 'AGREEMENT_ACCEPTED' THEN $13::timestamptz ELSE s.accepted_at END,
    acknowledged_version_number = CASE WHEN ins.action = 'NOTICE_ACKNOWLEDGED'
      THEN GREATEST(COALESCE(s.acknowledged_version_number, 0), $9::int) ELSE s.acknowledged_version_number END,
    gpc_applied_at = CASE $17::text WHEN 'set' THEN $13::timestamptz WHEN 'clear' THEN NULL
      ELSE s.gpc_applied_at END
  FROM ins WHERE s.subject_id = $1::uuid
), state AS (
  INSERT INTO consent_states (subject_id, purpose_key, granted, version_number, notice_sha256, method,
    event_id, updated_at)
  SELECT $1::uuid, ins.purpose_key, ins.action = 'PURPOSE_GRANTED', $9::int, $11, $12::"ConsentMethod",
    ins.id, $13::timestamptz
  FROM ins WHERE ins.action IN ('PURPOSE_GRANTED', 'PURPOSE_WITHDRAWN')
  ON CONFLICT (subject_id, purpose_key) DO UPDATE SET granted = EXCLUDED.granted,
    version_number = EXCLUDED.version_number, notice_sha256 = EXCLUDED.notice_sha256,
    method = EXCLUDED.method, event_id = EXCLUDED.event_id, updated_at = EXCLUDED.updated_at
)
SELECT 'new' AS kind, id::text, seq, hash, $13::timestamptz AS recorded_at, action, purpose_key, method,
  version_number FROM ins
UNION ALL
SELECT 'prior', id::text, seq, hash, recorded_at, action, purpose_key, method, version_number FROM prior
UNION ALL
SELECT 'nohead', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL WHERE NOT EXISTS (SELECT 1 FROM locked)`;

const CREATE_HEAD_SQL = `
INSERT INTO consent_subjects (subject_id, seq, head_hash, updated_at) VALUES ($1::uuid, 0, $2, $3)
ON CONFLICT (subject_id) DO NOTHING`;

const FIND_BY_KEY_SQL = `
SELECT 'prior' AS kind, id::text, seq, hash, recorded_at, action, purpose_key, method, version_number
FROM consent_events
WHERE subject_id = $1::uuid AND idempotency_key = $2`;

function toEvent(row: Row, replayed: boolean): AppendedEvent {
  if (!row.id || row.seq === null || !row.hash || !row.recorded_at || !row.action || !row.method) {
    throw new Error("consent ledger: incomplete event row");
  }
  return {
    id: row.id,
    seq: row.seq,
    hash: row.hash,
    recordedAt: row.recorded_at,
    replayed,
    action: row.action,
    purposeKey: row.purpose_key,
    method: row.method,
    versionNumber: row.version_number ?? 0,
  };
}

/**
 * Appends one event to the subject's chain and updates the projection in the
 * same transaction. The subject's head row is the only lock: appends for one
 * subject serialise, appends for different subjects never wait on each other.
 * An idempotency key already used by the subject writes nothing and returns
 * the stored event with `replayed: true`.
 */
export async function appendConsentEvent(input: AppendEventInput): Promise<AppendedEvent> {
  const recordedAt = now();
  const id = randomUUID();
  const { a, b, c } = hashTemplate({
    id,
    subjectId: input.subjectId,
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
  // A subject's first event creates its head (genesis) and tries once more.
  for (let attempt = 0; attempt < 2; attempt++) {
    const { rows } = await pool.query<Row>({ name: "consent-append-v2", text: APPEND_SQL, values });
    const row = rows[0];
    if (row?.kind === "new") return toEvent(row, false);
    if (row?.kind === "prior") return toEvent(row, true);
    if (row?.kind === "nohead") {
      await pool.query(CREATE_HEAD_SQL, [input.subjectId, GENESIS_HASH, recordedAt]);
      continue;
    }
    // The same key was committed by a concurrent request while we waited.
    const replay = await pool.query<Row>(FIND_BY_KEY_SQL, [input.subjectId, input.idempotencyKey]);
    if (replay.rows[0]) return toEvent(replay.rows[0], true);
    throw new Error("consent ledger: append wrote nothing and found no prior event");
  }
  throw new Error("consent ledger: subject head could not be created");
}
