// The sequencer and signer of the log (docs/ledger.md §12): gives settled
// events their leaves and signs a checkpoint that extends the last one.
// Appends never wait for it: each subject's chain is written by the append
// alone, and leaves are numbered here, afterwards, in one place.
//
// One run, in one transaction under an advisory lock (two runs, in the web
// process and the background jobs, take turns):
//  1. the last checkpoint must verify with the log key;
//  2. leaves added since it (by a run that stopped before signing) must hold
//     signed, intact events, or nothing more is signed;
//  3. committed events without a leaf are checked (hash recomputed, the log
//     key's signature on their content) and given the next leaves, in
//     position order; an event that fails the check gets no leaf and is
//     reported (it was not written by the app: a forged row);
//  4. the new tree must extend the signed one (an RFC 9162 consistency proof
//     from the stored nodes, verified) before its checkpoint is signed.
import type pg from "pg";
import { now } from "@/lib/clock";
import { eventHash, type HashedEventFields } from "@/lib/ledger/event-hash";
import { verifyEventSignature, verifyEventSignatureAsync } from "@/lib/ledger/event-signature";
import { verifyConsistency } from "@/lib/ledger/merkle";
import {
  openNote,
  parseNote,
  signNoteText,
  verifiedSignatures,
  type NoteSigner,
  type NoteVerifier,
} from "@/lib/ledger/note";
import { formatCheckpointText, parseCheckpointText } from "@/lib/ledger/tlog-checkpoint";
import { consistencyProof, treeRoot } from "@/lib/ledger/log/tree-store";

/** pg_advisory_xact_lock key of the sequencer ("accord-log" as a number). */
const SEQUENCER_LOCK = 7_370_425_104;
const BATCH = 5_000;

export class LogRefusal extends Error {}

export interface RefusedEvent {
  eventId: string;
  reason: string;
}

export interface SequencerRun {
  treeSize: number;
  sequenced: number;
  refused: RefusedEvent[];
  /** The checkpoint signed by this run, if the tree grew (or there was none). */
  signed: { treeSize: number; rootHash: string; note: string } | null;
}

export interface SequencerKeys {
  signer: NoteSigner;
  /** Keys whose earlier signatures count (the signer's included). */
  verifiers: readonly NoteVerifier[];
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
  recorded_at: string;
  ip_truncated: string | null;
  user_agent: string | null;
  locale: string | null;
  idempotency_key: string;
  prev_hash: string;
  hash: string;
  signature: string | null;
  key_id: string | null;
  pruned_at: string | null;
}

// The columns as text, exactly as hashed (recorded_at as toISOString writes it).
export const EVENT_CHECK_COLUMNS = `e.id::text, e.subject_id::text, e.seq, e.action::text, e.version_id::text,
  e.version_number, e.purpose_key, e.notice_sha256, e.method::text,
  to_char(e.recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS recorded_at,
  e.ip_truncated, e.user_agent, e.locale, e.idempotency_key, e.prev_hash, e.hash, e.signature, e.key_id,
  e.pruned_at::text AS pruned_at`;

function hashedFields(row: EventRow): HashedEventFields {
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
    recordedAt: row.recorded_at,
    ipTruncated: row.ip_truncated,
    userAgent: row.user_agent,
    locale: row.locale,
    idempotencyKey: row.idempotency_key,
    prevHash: row.prev_hash,
  };
}

/** The checks before the signature: a reason to refuse, or what the signature check needs. */
function precheck(
  row: EventRow,
  verifiers: readonly NoteVerifier[],
): { reason: string } | { fields: HashedEventFields; verifier: NoteVerifier } {
  // Only events under a signed checkpoint are pruned (docs/ledger.md §12): never one that needs a leaf or a signature check.
  if (row.pruned_at) return { reason: "it is marked pruned but was not under a signed checkpoint" };
  const fields = hashedFields(row);
  if (eventHash(fields) !== row.hash) return { reason: "its stored hash does not match its fields" };
  const verifier = verifiers.find((v) => v.keyId === row.key_id);
  if (!verifier)
    return { reason: row.signature ? `signed by an unknown key ${row.key_id}` : "it carries no signature" };
  return { fields, verifier };
}

const BAD_SIGNATURE = "its signature does not verify";

/** Why an event may not have a leaf, or null when it may. */
export function refusalReason(row: EventRow, verifiers: readonly NoteVerifier[]): string | null {
  const checked = precheck(row, verifiers);
  if ("reason" in checked) return checked.reason;
  return verifyEventSignature(checked.fields, row.signature, checked.verifier) ? null : BAD_SIGNATURE;
}

/**
 * refusalReason for a batch, the signatures verified concurrently in the
 * thread pool (the sequencer's cost is almost all Ed25519 verification).
 */
export async function refusalReasons(
  rows: readonly EventRow[],
  verifiers: readonly NoteVerifier[],
): Promise<(string | null)[]> {
  return Promise.all(
    rows.map(async (row) => {
      const checked = precheck(row, verifiers);
      if ("reason" in checked) return checked.reason;
      return (await verifyEventSignatureAsync(checked.fields, row.signature, checked.verifier))
        ? null
        : BAD_SIGNATURE;
    }),
  );
}

interface LastCheckpoint {
  size: number;
  root: Buffer;
}

async function lastCheckpoint(client: pg.PoolClient, verifiers: readonly NoteVerifier[]) {
  const { rows } = await client.query<{ tree_size: string; root_hash: string; note: string }>(
    // Qualified: a bare ORDER BY tree_size would sort the ::text output column ("8" after "11").
    "SELECT c.tree_size::text, c.root_hash, c.note FROM ledger_tree_checkpoints c ORDER BY c.tree_size DESC LIMIT 1",
  );
  const row = rows[0];
  if (!row) return null;
  const note = parseNote(row.note);
  if (verifiedSignatures(note, verifiers).length === 0)
    throw new LogRefusal(`the latest checkpoint (size ${row.tree_size}) is not signed by a trusted log key`);
  const body = parseCheckpointText(note.text);
  if (body.size !== Number(row.tree_size) || body.root.toString("hex") !== row.root_hash)
    throw new LogRefusal(
      `the latest checkpoint's row disagrees with its signed note (size ${row.tree_size})`,
    );
  return { size: body.size, root: body.root } satisfies LastCheckpoint;
}

/** Runs the sequencer once; see the top of this file. */
export async function sequenceAndSign(
  db: pg.Pool,
  keys: SequencerKeys,
  at: Date = now(),
): Promise<SequencerRun> {
  const client = await db.connect();
  try {
    await client.query("BEGIN");
    await client.query("SELECT pg_advisory_xact_lock($1)", [SEQUENCER_LOCK]);
    const run = await runLocked(client, keys, at);
    await client.query("COMMIT");
    return run;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

async function runLocked(client: pg.PoolClient, keys: SequencerKeys, at: Date): Promise<SequencerRun> {
  const last = await lastCheckpoint(client, keys.verifiers);
  const state = await client.query<{ tree_size: string }>("SELECT tree_size::text FROM ledger_tree_state");
  let size = Number(state.rows[0]?.tree_size ?? 0);

  // 2. Leaves no checkpoint covers yet must hold signed, intact events.
  if (last && size > last.size) {
    const { rows } = await client.query<EventRow & { event_hash: string }>(
      `SELECT ${EVENT_CHECK_COLUMNS}, l.event_hash FROM ledger_leaves l JOIN consent_events e ON e.id = l.event_id
        WHERE l.leaf_index >= $1 ORDER BY l.leaf_index`,
      [last.size],
    );
    if (rows.length !== size - last.size)
      throw new LogRefusal(`leaves ${last.size}–${size - 1} do not all have their events: not signing`);
    const reasons = await refusalReasons(rows, keys.verifiers);
    rows.forEach((row, i) => {
      const reason = row.event_hash === row.hash ? reasons[i] : "its leaf holds another hash";
      if (reason) throw new LogRefusal(`leaf for event ${row.id}: ${reason}: not signing`);
    });
  }

  // 3. Settled events without a leaf.
  const refused: RefusedEvent[] = [];
  let sequenced = 0;
  let after = "-1";
  let firstXmin: string | undefined;
  for (;;) {
    const { rows } = await client.query<EventRow & { xmin: string; position: string }>(
      `SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS xmin, e.position::text AS position,
         ${EVENT_CHECK_COLUMNS}
         FROM consent_events e
        WHERE e.txid >= (SELECT horizon_txid FROM ledger_tree_state) AND e.position > $1
          AND NOT EXISTS (SELECT 1 FROM ledger_leaves l WHERE l.event_id = e.id)
        ORDER BY e.position LIMIT ${BATCH}`,
      [after],
    );
    after = rows.at(-1)?.position ?? after;
    // Every transaction below the first query's xmin had finished before it, so
    // its events are visible to every batch of this scan: that is the horizon.
    firstXmin ??= rows[0]?.xmin ?? (await currentXmin(client));
    const accepted: string[] = [];
    const reasons = await refusalReasons(rows, keys.verifiers);
    rows.forEach((row, i) => {
      const reason = reasons[i];
      if (reason) refused.push({ eventId: row.id, reason });
      else accepted.push(row.id);
    });
    const complete = rows.length < BATCH;
    // The horizon moves only when every candidate below it was seen.
    const horizon = complete ? firstXmin : null;
    const result = await client.query<{ size: string }>(
      "SELECT accord_ledger_sequence($1::uuid[], $2::bigint, $3)::text AS size",
      [accepted, horizon, at],
    );
    const newSize = Number(result.rows[0]?.size ?? size);
    sequenced += newSize - size;
    size = newSize;
    if (complete) break;
  }

  // 4. Sign the new tree if it extends the signed one.
  let signed: SequencerRun["signed"] = null;
  if (!last || size > last.size) {
    const root = await treeRoot(client, size);
    if (last) {
      const proof = await consistencyProof(client, last.size, size);
      if (!verifyConsistency(last.size, size, last.root, root, proof))
        throw new LogRefusal(
          `the tree of ${size} leaves does not extend the signed checkpoint of ${last.size}: not signing`,
        );
    }
    const text = formatCheckpointText({ origin: keys.signer.name, size, root, time: at });
    const note = `${text}\n${signNoteText(text, keys.signer)}\n`;
    // Round trip through the verifier: what is stored is what clients will check.
    openNote(note, keys.signer);
    await client.query("SELECT accord_ledger_record_checkpoint($1, $2, $3, $4, $5)", [
      size,
      root.toString("hex"),
      at,
      keys.signer.keyId,
      note,
    ]);
    signed = { treeSize: size, rootHash: root.toString("hex"), note };
  }
  return { treeSize: size, sequenced, refused, signed };
}

async function currentXmin(client: pg.PoolClient): Promise<string> {
  const { rows } = await client.query<{ xmin: string }>(
    "SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS xmin",
  );
  return rows[0]?.xmin ?? "0";
}
