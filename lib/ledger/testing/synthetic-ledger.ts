// Valid ledgers at scale for tests and benchmarks: users, hash-chained events
// and checkpoints, written set-based (UNNEST) in batches, one transaction per
// batch. Takes its own pool: it is never used by the app, only against a
// database made for a test or a benchmark.
import { randomUUID } from "node:crypto";
import type pg from "pg";
import { GENESIS_HASH, eventHash, type HashedEventFields } from "@/lib/ledger/event-hash";
import { merkleRoot } from "@/lib/ledger/merkle";

export interface SyntheticLedgerOptions {
  subjects: number;
  events: number;
  batchSize?: number;
  /** Time of the first event; events are spaced `stepMs` apart. */
  start?: Date;
  stepMs?: number;
  emailPrefix?: string;
  onProgress?: (written: number) => void;
}

interface VersionRow {
  id: string;
  number: number;
  body_sha256: string;
}

interface PurposeState {
  granted: boolean;
  noticeSha256: string;
  method: string;
  eventId: string;
  at: string;
}

interface PurposeRow {
  key: string;
  notice_sha256: string;
  basic: boolean;
}

const COLUMNS = [
  ["id", "uuid"],
  ["subject_id", "uuid"],
  ["seq", "int"],
  ["action", '"ConsentAction"'],
  ["version_id", "uuid"],
  ["version_number", "int"],
  ["purpose_key", "text"],
  ["notice_sha256", "text"],
  ["method", '"ConsentMethod"'],
  ["recorded_at", "timestamptz"],
  ["ip_truncated", "text"],
  ["user_agent", "text"],
  ["locale", "text"],
  ["idempotency_key", "text"],
  ["prev_hash", "text"],
  ["hash", "text"],
] as const;

const INSERT_EVENTS = `INSERT INTO consent_events (${COLUMNS.map(([c]) => c).join(", ")})
  SELECT * FROM unnest(${COLUMNS.map(([, t], i) => `$${i + 1}::${t}[]`).join(", ")})`;

/** Writes `events` events over `subjects` new users; returns the subjects' ids. */
export async function writeSyntheticLedger(
  pool: pg.Pool,
  options: SyntheticLedgerOptions,
): Promise<string[]> {
  const {
    subjects,
    events,
    batchSize = 5_000,
    stepMs = 1_000,
    emailPrefix = `synthetic-${randomUUID().slice(0, 8)}`,
  } = options;
  const start = options.start ?? new Date(Date.UTC(2025, 0, 1));
  const version = (
    await pool.query<VersionRow>(`SELECT id, number, body_sha256 FROM agreement_versions WHERE number = 1`)
  ).rows[0];
  if (!version) throw new Error("the database has no agreement version 1: seed it first");
  const purposes = (
    await pool.query<PurposeRow>(
      `SELECT key, notice_sha256, basic FROM purposes WHERE version_id = $1 ORDER BY position`,
      [version.id],
    )
  ).rows.filter((p) => !p.basic);

  const ids = Array.from({ length: subjects }, () => randomUUID());
  for (let i = 0; i < subjects; i += batchSize) {
    const slice = ids.slice(i, i + batchSize);
    await pool.query(
      `INSERT INTO users (id, email, password_hash, role, created_at)
       SELECT id, $2 || '-' || n || '@synthetic.accord.test', 'not-a-password-hash', 'USER', $3
         FROM unnest($1::uuid[]) WITH ORDINALITY AS t(id, n)`,
      [slice, `${emailPrefix}-${i}`, new Date(start.getTime() - 86_400_000)],
    );
  }

  const heads = ids.map(() => ({
    seq: 0,
    hash: GENESIS_HASH,
    acceptedAt: start.toISOString(),
    granted: new Set<string>(),
    states: new Map<string, PurposeState>(),
  }));
  let random = 42;
  const next = () => (random = (random * 1_103_515_245 + 12_345) % 2_147_483_648);
  for (let written = 0; written < events;) {
    const count = Math.min(batchSize, events - written);
    const columns: unknown[][] = COLUMNS.map(() => []);
    for (let k = 0; k < count; k++) {
      const n = written + k;
      const s = n % subjects;
      const head = heads[s] as (typeof heads)[number];
      const subjectId = ids[s] as string;
      const purpose = purposes[next() % purposes.length] as PurposeRow;
      const first = head.seq === 0;
      const withdraw = !first && head.granted.has(purpose.key);
      const fields: HashedEventFields = {
        id: randomUUID(),
        subjectId,
        seq: head.seq + 1,
        action: first ? "AGREEMENT_ACCEPTED" : withdraw ? "PURPOSE_WITHDRAWN" : "PURPOSE_GRANTED",
        versionId: version.id,
        versionNumber: version.number,
        purposeKey: first ? null : purpose.key,
        noticeSha256: first ? version.body_sha256 : purpose.notice_sha256,
        method: n % 7 === 0 ? "API" : "WEB",
        recordedAt: new Date(start.getTime() + n * stepMs).toISOString(),
        ipTruncated: "203.0.113.0",
        userAgent: n % 11 === 0 ? "" : 'Mozilla/5.0 (synthetic; "quoted", comma)',
        locale: n % 13 === 0 ? null : "en",
        idempotencyKey: `synthetic:${n}`,
        prevHash: head.hash,
      };
      const hash = eventHash(fields);
      head.seq = fields.seq;
      head.hash = hash;
      if (first) head.acceptedAt = fields.recordedAt;
      else {
        if (withdraw) head.granted.delete(purpose.key);
        else head.granted.add(purpose.key);
        head.states.set(purpose.key, {
          granted: !withdraw,
          noticeSha256: purpose.notice_sha256,
          method: fields.method,
          eventId: fields.id,
          at: fields.recordedAt,
        });
      }
      COLUMNS.forEach(([column], i) => columns[i]?.push(valueFor(column, fields, hash)));
    }
    await pool.query(INSERT_EVENTS, columns);
    written += count;
    options.onProgress?.(written);
  }

  for (let i = 0; i < subjects; i += batchSize) {
    const slice = ids.slice(i, i + batchSize);
    await pool.query(
      `INSERT INTO consent_subjects (subject_id, seq, head_hash, accepted_version_id, accepted_version_number, accepted_at, updated_at)
       SELECT t.id, t.seq, t.hash, $4::uuid, $5::int, t.at, t.at
         FROM unnest($1::uuid[], $2::int[], $3::text[], $6::timestamptz[]) AS t(id, seq, hash, at)
       WHERE t.seq > 0`,
      [
        slice,
        slice.map((_, j) => heads[i + j]?.seq ?? 0),
        slice.map((_, j) => heads[i + j]?.hash ?? GENESIS_HASH),
        version.id,
        version.number,
        slice.map((_, j) => heads[i + j]?.acceptedAt ?? start.toISOString()),
      ],
    );
  }
  // The purpose projection, as the ledger's own writer keeps it.
  const states = heads.flatMap((head, i) =>
    [...head.states].map(([key, state]) => ({ subjectId: ids[i] as string, key, ...state })),
  );
  for (let i = 0; i < states.length; i += batchSize) {
    const slice = states.slice(i, i + batchSize);
    await pool.query(
      `INSERT INTO consent_states (subject_id, purpose_key, granted, version_number, notice_sha256, method, event_id, updated_at)
       SELECT t.s, t.k, t.g, $8::int, t.n, t.m::"ConsentMethod", t.e, t.a
         FROM unnest($1::uuid[], $2::text[], $3::bool[], $4::text[], $5::text[], $6::uuid[], $7::timestamptz[]) AS t(s, k, g, n, m, e, a)`,
      [
        slice.map((x) => x.subjectId),
        slice.map((x) => x.key),
        slice.map((x) => x.granted),
        slice.map((x) => x.noticeSha256),
        slice.map((x) => x.method),
        slice.map((x) => x.eventId),
        slice.map((x) => x.at),
        version.number,
      ],
    );
  }
  // Their copy on the head rows (consent_subjects.states), as the append keeps it: by purpose key.
  const copies = heads.flatMap((head, i) =>
    head.states.size
      ? [
          {
            subjectId: ids[i] as string,
            states: JSON.stringify(
              Object.fromEntries(
                [...head.states].map(([key, state]) => [
                  key,
                  {
                    granted: state.granted,
                    noticeSha256: state.noticeSha256,
                    method: state.method,
                    updatedAt: new Date(state.at).toISOString(),
                  },
                ]),
              ),
            ),
          },
        ]
      : [],
  );
  for (let i = 0; i < copies.length; i += batchSize) {
    const slice = copies.slice(i, i + batchSize);
    await pool.query(
      `UPDATE consent_subjects s SET states = t.states::jsonb
         FROM unnest($1::uuid[], $2::text[]) AS t(id, states) WHERE s.subject_id = t.id`,
      [slice.map((x) => x.subjectId), slice.map((x) => x.states)],
    );
  }
  return ids;
}

function valueFor(column: string, fields: HashedEventFields, hash: string): unknown {
  const map: Record<string, unknown> = {
    id: fields.id,
    subject_id: fields.subjectId,
    seq: fields.seq,
    action: fields.action,
    version_id: fields.versionId,
    version_number: fields.versionNumber,
    purpose_key: fields.purposeKey,
    notice_sha256: fields.noticeSha256,
    method: fields.method,
    recorded_at: fields.recordedAt,
    ip_truncated: fields.ipTruncated,
    user_agent: fields.userAgent,
    locale: fields.locale,
    idempotency_key: fields.idempotencyKey,
    prev_hash: fields.prevHash,
    hash,
  };
  return map[column];
}

/**
 * One checkpoint per writing transaction not yet covered, contiguous from
 * where the last one ended (docs/ledger.md §9), each ending just after its
 * transaction. The ledger's own checkpointer ends a range at the cluster's
 * oldest running transaction, which other databases on a shared test server
 * can hold back; in a database made for one test or benchmark, nothing else
 * writes, so every transaction that wrote an event is settled.
 */
export async function writeCheckpoints(pool: pg.Pool): Promise<number> {
  const last = await pool.query<{ to: string | null }>(
    `SELECT max(txid_to)::text AS to FROM ledger_checkpoints`,
  );
  let from = BigInt(last.rows[0]?.to ?? "0");
  const { rows: txids } = await pool.query<{ txid: string }>(
    `SELECT e.txid::text AS txid FROM consent_events e WHERE e.txid >= $1 GROUP BY e.txid ORDER BY e.txid`,
    [String(from)],
  );
  for (const { txid } of txids) {
    const to = BigInt(txid) + 1n;
    const { rows } = await pool.query<{ hash: string; position: string }>(
      `SELECT e.hash, e.position::text AS position FROM consent_events e WHERE e.txid >= $1 AND e.txid < $2 ORDER BY e.position`,
      [String(from), String(to)],
    );
    await pool.query(
      `INSERT INTO ledger_checkpoints (txid_from, txid_to, event_count, first_position, last_position, merkle_root)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [
        String(from),
        String(to),
        rows.length,
        rows[0]?.position ?? null,
        rows.at(-1)?.position ?? null,
        merkleRoot(rows.map((r) => r.hash)),
      ],
    );
    from = to;
  }
  return txids.length;
}

/**
 * Gives every event without a leaf its leaf in position order, as the
 * migration to format 2 did for the events recorded before it (they carry no
 * signature). Needs the owner's connection. The next sequencer run signs the
 * first checkpoint over them.
 */
export async function sequenceAsFormat1(pool: pg.Pool): Promise<number> {
  const { rows } = await pool.query<{ size: string }>(
    `SELECT accord_ledger_sequence(COALESCE((SELECT array_agg(e.id ORDER BY e.position) FROM consent_events e
        WHERE NOT EXISTS (SELECT 1 FROM ledger_leaves l WHERE l.event_id = e.id)), '{}'), NULL, now())::text AS size`,
  );
  return Number(rows[0]?.size ?? 0);
}
