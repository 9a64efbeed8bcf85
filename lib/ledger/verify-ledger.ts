// Offline verification of the consent ledger (docs/ledger.md): every chain,
// the projection rebuilt from the ledger, and every checkpoint. Reads only.
// Takes a pool so the CLI, the tests and other tools can point it anywhere.
import type pg from "pg";
import QueryStream from "pg-query-stream";
import { verifyLog, type LogCheckOptions } from "@/lib/ledger/verify-log";
import { liveLogCheck } from "@/lib/ledger/log/check-options";
import { GENESIS_HASH, eventHash } from "@/lib/ledger/event-hash";
import { ChainWalk, type WalkedEvent } from "@/lib/ledger/check/chain-walk";
import { describeEvent, type LedgerProblem } from "@/lib/ledger/check/problems";
import { merkleRoot } from "@/lib/ledger/merkle";
import {
  applyEvent,
  emptyProjection,
  type ProjectedState,
  type SubjectProjection,
} from "@/lib/ledger/projection";

export type { LedgerProblem, ProblemKind } from "@/lib/ledger/check/problems";

export interface LedgerReport {
  subjects: number;
  events: number;
  checkpoints: number;
  checkpointedEvents: number;
  leaves: number;
  signedCheckpoints: number;
  /** Events whose personal fields were pruned: hash taken as stored, links and leaf checked. */
  pruned: number;
  problems: LedgerProblem[];
}

interface EventRow {
  id: string;
  subject_id: string;
  seq: number;
  action: string;
  version_id: string;
  version_number: number;
  purpose_key: string | null;
  notice_sha256: string;
  method: string;
  recorded_at: Date;
  ip_truncated: string | null;
  user_agent: string | null;
  locale: string | null;
  idempotency_key: string;
  prev_hash: string;
  hash: string;
  pruned_at: Date | null;
}

interface HeadRow {
  subject_id: string;
  seq: number;
  head_hash: string;
  accepted_version_id: string | null;
  accepted_version_number: number | null;
  accepted_at: Date | null;
  acknowledged_version_number: number | null;
  /** The copy of the subject's states that status reads send (consent_subjects.states), by purpose key. */
  states: Record<string, StatesCopyEntry> | null;
}

/** One entry of consent_subjects.states, as the append writes it. */
interface StatesCopyEntry {
  granted: boolean;
  noticeSha256: string;
  method: string;
  updatedAt: string;
}

interface StateRow {
  subject_id: string;
  purpose_key: string;
  granted: boolean;
  version_number: number;
  notice_sha256: string;
  method: string;
  event_id: string;
  updated_at: Date;
}

interface CheckpointRow {
  id: number;
  txid_from: string;
  txid_to: string;
  event_count: number;
  first_position: string | null;
  last_position: string | null;
  merkle_root: string;
}

const EVENTS_SQL = `
SELECT id::text, subject_id::text, seq, action::text, version_id::text, version_number, purpose_key, notice_sha256,
  method::text, recorded_at, ip_truncated, user_agent, locale, idempotency_key, prev_hash, hash, pruned_at
FROM consent_events ORDER BY subject_id, seq`;

function walked(row: EventRow): WalkedEvent {
  return {
    id: row.id,
    subjectId: row.subject_id,
    seq: row.seq,
    action: row.action,
    versionId: row.version_id,
    versionNumber: row.version_number,
    purposeKey: row.purpose_key,
    noticeSha256: row.notice_sha256,
    method: row.method,
    recordedAt: row.recorded_at.toISOString(),
    ipTruncated: row.ip_truncated,
    userAgent: row.user_agent,
    locale: row.locale,
    idempotencyKey: row.idempotency_key,
    prevHash: row.prev_hash,
    hash: row.hash,
    prunedAt: row.pruned_at?.toISOString() ?? null,
  };
}

/** The event's own hash, recomputed from its stored fields. */
export function recomputeHash(row: EventRow): string {
  return eventHash(walked(row));
}

const sameTime = (a: Date | null, b: Date | null) => (a?.getTime() ?? null) === (b?.getTime() ?? null);

const describe = (event: { id: string; seq: number; subject_id: string }) =>
  describeEvent({ id: event.id, subjectId: event.subject_id, seq: event.seq });

/** Walks one subject's chain (`events` in seq order) and rebuilds its projection. */
function checkChain(walk: ChainWalk, subjectId: string, events: EventRow[]): SubjectProjection {
  const projection = emptyProjection(GENESIS_HASH);
  for (const row of events) {
    walk.add(walked(row));
    applyEvent(projection, {
      id: row.id,
      seq: row.seq,
      hash: row.hash,
      action: row.action,
      versionId: row.version_id,
      versionNumber: row.version_number,
      purposeKey: row.purpose_key,
      noticeSha256: row.notice_sha256,
      method: row.method,
      recordedAt: row.recorded_at,
    });
  }
  walk.forget(subjectId);
  return projection;
}

function checkHead(
  subjectId: string,
  rebuilt: SubjectProjection,
  last: EventRow | undefined,
  head: HeadRow | undefined,
  problems: LedgerProblem[],
) {
  if (!head) {
    if (last)
      problems.push({
        kind: "head",
        subjectId,
        message: `subject ${subjectId}: has events but no chain head row`,
      });
    return;
  }
  if (head.seq > rebuilt.seq) {
    const first = rebuilt.seq + 1;
    problems.push({
      kind: "missing",
      subjectId,
      seq: first,
      message: `subject ${subjectId}: ${first === head.seq ? `seq ${first} is` : `seqs ${first}–${head.seq} are`} missing (deleted?); the chain head is at seq ${head.seq} with hash ${head.head_hash}`,
    });
  } else if (head.seq < rebuilt.seq) {
    problems.push({
      kind: "head",
      subjectId,
      seq: rebuilt.seq,
      message: `subject ${subjectId}: chain head at seq ${head.seq} but events reach seq ${rebuilt.seq}`,
    });
  } else if (head.head_hash !== rebuilt.headHash && last) {
    problems.push({
      kind: "chain",
      subjectId,
      seq: last.seq,
      eventId: last.id,
      message: `${describe(last)}: its hash ${last.hash} is not the chain head's hash ${head.head_hash}: the event was rewritten`,
    });
  }
  const fields: [string, unknown, unknown][] = [
    ["acceptedVersionId", head.accepted_version_id, rebuilt.acceptedVersionId],
    ["acceptedVersionNumber", head.accepted_version_number, rebuilt.acceptedVersionNumber],
    ["acknowledgedVersionNumber", head.acknowledged_version_number, rebuilt.acknowledgedVersionNumber],
  ];
  for (const [name, stored, expected] of fields) {
    if (stored !== expected) {
      problems.push({
        kind: "projection",
        subjectId,
        message: `subject ${subjectId}: projection ${name} is ${String(stored)}, the ledger says ${String(expected)}`,
      });
    }
  }
  if (!sameTime(head.accepted_at, rebuilt.acceptedAt)) {
    problems.push({
      kind: "projection",
      subjectId,
      message: `subject ${subjectId}: projection acceptedAt is ${head.accepted_at?.toISOString()}, the ledger says ${rebuilt.acceptedAt?.toISOString()}`,
    });
  }
}

function stateDiff(stored: StateRow | undefined, expected: ProjectedState | undefined): string | null {
  if (!stored && !expected) return null;
  if (!stored)
    return `missing; the ledger says ${expected?.granted ? "granted" : "withdrawn"} by event ${expected?.eventId}`;
  if (!expected)
    return `is ${stored.granted ? "granted" : "withdrawn"} by event ${stored.event_id}, which the ledger does not have`;
  const diffs: string[] = [];
  if (stored.granted !== expected.granted) diffs.push(`granted ${stored.granted} ≠ ${expected.granted}`);
  if (stored.event_id !== expected.eventId) diffs.push(`event ${stored.event_id} ≠ ${expected.eventId}`);
  if (stored.version_number !== expected.versionNumber)
    diffs.push(`version ${stored.version_number} ≠ ${expected.versionNumber}`);
  if (stored.notice_sha256 !== expected.noticeSha256)
    diffs.push(`notice ${stored.notice_sha256} ≠ ${expected.noticeSha256}`);
  if (stored.method !== expected.method) diffs.push(`method ${stored.method} ≠ ${expected.method}`);
  if (stored.updated_at.getTime() !== expected.updatedAt.getTime()) diffs.push("updatedAt differs");
  return diffs.length ? diffs.join(", ") : null;
}

function checkStates(
  subjectId: string,
  rebuilt: SubjectProjection,
  stored: Map<string, StateRow> | undefined,
  problems: LedgerProblem[],
) {
  const keys = new Set([...rebuilt.states.keys(), ...(stored?.keys() ?? [])]);
  for (const purposeKey of keys) {
    const row = stored?.get(purposeKey);
    const diff = stateDiff(row, rebuilt.states.get(purposeKey));
    if (diff) {
      problems.push({
        kind: "projection",
        subjectId,
        purposeKey,
        ...(row ? { eventId: row.event_id } : {}),
        message: `subject ${subjectId}: consent state for "${purposeKey}" ${diff}`,
      });
    }
  }
}

/**
 * The copy of a subject's states on its head row (consent_subjects.states,
 * what status reads send) against the consent_states rows it copies, which
 * checkStates holds to the ledger: a copy edited by hand, or left behind by a
 * trigger switched off, is named here.
 */
function checkStatesCopy(
  subjectId: string,
  copy: Record<string, StatesCopyEntry> | null | undefined,
  stored: Map<string, StateRow> | undefined,
  problems: LedgerProblem[],
) {
  const copied = new Map(Object.entries(copy ?? {}));
  const keys = new Set([...copied.keys(), ...(stored?.keys() ?? [])]);
  const differences: string[] = [];
  for (const purposeKey of [...keys].sort()) {
    const entry = copied.get(purposeKey);
    const row = stored?.get(purposeKey);
    if (!entry || !row) {
      differences.push(`"${purposeKey}" is ${entry ? "only in the copy" : "missing from the copy"}`);
      continue;
    }
    if (
      entry.granted !== row.granted ||
      entry.noticeSha256 !== row.notice_sha256 ||
      entry.method !== row.method ||
      entry.updatedAt !== row.updated_at.toISOString()
    )
      differences.push(`"${purposeKey}" differs`);
  }
  if (differences.length)
    problems.push({
      kind: "projection",
      subjectId,
      message: `subject ${subjectId}: the copy of its consent states that status reads send (consent_subjects.states) does not match consent_states: ${differences.join(", ")}`,
    });
}

async function checkCheckpoints(db: pg.PoolClient, problems: LedgerProblem[]) {
  // Qualified: a bare ORDER BY txid_from would sort by the ::text output
  // column of the same name, so "10" came before "9".
  const { rows } = await db.query<CheckpointRow>(
    `SELECT id, txid_from::text, txid_to::text, event_count, first_position::text, last_position::text, merkle_root
     FROM ledger_checkpoints c ORDER BY c.txid_from`,
  );
  let covered = 0;
  let expectedFrom = "0";
  for (const checkpoint of rows) {
    const name = `checkpoint ${checkpoint.id} [txid ${checkpoint.txid_from}, ${checkpoint.txid_to})`;
    if (checkpoint.txid_from !== expectedFrom) {
      problems.push({
        kind: "checkpoint",
        checkpointId: checkpoint.id,
        message: `${name}: starts at txid ${checkpoint.txid_from}, but the previous checkpoint ends at ${expectedFrom}`,
      });
    }
    expectedFrom = checkpoint.txid_to;
    const events = await db.query<{ id: string; hash: string; position: string }>(
      "SELECT id::text, hash, position::text FROM consent_events WHERE txid >= $1 AND txid < $2 ORDER BY consent_events.position",
      [checkpoint.txid_from, checkpoint.txid_to],
    );
    covered += events.rows.length;
    const root = merkleRoot(events.rows.map((event) => event.hash));
    const first = events.rows[0]?.position ?? null;
    const last = events.rows.at(-1)?.position ?? null;
    const diffs: string[] = [];
    if (events.rows.length !== checkpoint.event_count)
      diffs.push(`${events.rows.length} events now, ${checkpoint.event_count} recorded`);
    if (first !== checkpoint.first_position || last !== checkpoint.last_position) {
      diffs.push(
        `positions ${first}–${last} now, ${checkpoint.first_position}–${checkpoint.last_position} recorded`,
      );
    }
    if (root !== checkpoint.merkle_root)
      diffs.push(`Merkle root ${root} now, ${checkpoint.merkle_root} recorded`);
    if (diffs.length) {
      problems.push({
        kind: "checkpoint",
        checkpointId: checkpoint.id,
        message: `${name}: ${diffs.join("; ")}: an event in its range was added, removed or rewritten`,
      });
    }
  }
  return { checkpoints: rows.length, covered };
}

/**
 * Rebuilds and re-checks everything in one read-only snapshot, so appends
 * committing meanwhile cannot look like mismatches. `problems` is empty when
 * the ledger is intact.
 */
export async function verifyLedger(
  db: pg.Pool,
  log: LogCheckOptions = liveLogCheck(),
): Promise<LedgerReport> {
  const client = await db.connect();
  try {
    await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    const report = await verifyInSnapshot(client, log);
    await client.query("COMMIT");
    return report;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

async function verifyInSnapshot(client: pg.PoolClient, log: LogCheckOptions): Promise<LedgerReport> {
  const problems: LedgerProblem[] = [];
  const walk = new ChainWalk({ complete: true }, problems);
  const heads = new Map(
    (
      await client.query<HeadRow>(
        `SELECT subject_id::text, seq, head_hash, accepted_version_id::text, accepted_version_number, accepted_at,
         acknowledged_version_number, states FROM consent_subjects`,
      )
    ).rows.map((row) => [row.subject_id, row]),
  );
  const states = new Map<string, Map<string, StateRow>>();
  for (const row of (
    await client.query<StateRow>(
      `SELECT subject_id::text, purpose_key, granted, version_number, notice_sha256, method::text, event_id::text,
       updated_at FROM consent_states`,
    )
  ).rows) {
    const forSubject = states.get(row.subject_id) ?? new Map<string, StateRow>();
    forSubject.set(row.purpose_key, row);
    states.set(row.subject_id, forSubject);
  }

  let subjects = 0;
  let events = 0;
  const finish = (subjectId: string, chain: EventRow[]) => {
    subjects += 1;
    const rebuilt = checkChain(walk, subjectId, chain);
    checkHead(subjectId, rebuilt, chain.at(-1), heads.get(subjectId), problems);
    checkStates(subjectId, rebuilt, states.get(subjectId), problems);
    checkStatesCopy(subjectId, heads.get(subjectId)?.states, states.get(subjectId), problems);
    heads.delete(subjectId);
    states.delete(subjectId);
  };

  const stream = client.query(new QueryStream(EVENTS_SQL, [], { batchSize: 1000 }));
  let current: string | null = null;
  let chain: EventRow[] = [];
  for await (const row of stream as AsyncIterable<EventRow>) {
    events += 1;
    if (row.subject_id !== current) {
      if (current !== null) finish(current, chain);
      current = row.subject_id;
      chain = [];
    }
    chain.push(row);
  }
  if (current !== null) finish(current, chain);
  // Heads and states left over belong to subjects without any event.
  for (const subjectId of new Set([...heads.keys(), ...states.keys()])) finish(subjectId, []);

  const { checkpoints, covered } = await checkCheckpoints(client, problems);
  const logReport = await verifyLog(client, log);
  problems.push(...logReport.problems);
  return {
    subjects,
    events,
    checkpoints,
    checkpointedEvents: covered,
    leaves: logReport.leaves,
    signedCheckpoints: logReport.signedCheckpoints,
    pruned: walk.pruned,
    problems,
  };
}
