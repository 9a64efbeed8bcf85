import "server-only";
import { exportJWK } from "jose";
import { pool } from "@/lib/db";
import { now } from "@/lib/clock";
import { fail, ok, type Result } from "@/lib/result";
import {
  cosignatureTime,
  formatVerifierKey,
  NoteError,
  parseNote,
  parseVerifierKey,
  SIG_COSIGNATURE_V1,
  type NoteVerifier,
} from "@/lib/ledger/note";
import { parseCheckpointText } from "@/lib/ledger/tlog-checkpoint";
import { leafHash } from "@/lib/ledger/merkle";
import { consistencyProof, inclusionProof } from "@/lib/ledger/log/tree-store";
import { sequenceAndSign, type SequencerRun } from "@/lib/ledger/log/sequencer";
import { logSigner, logVerifiers } from "@/lib/ledger/log/signing-key";

import { MAX_MERGE_DELAY_SECONDS } from "@/lib/ledger/verify-log";

/** Runs the sequencer now (the background jobs do it every second; receipts and exports ask on demand). */
export function sequenceNow(): Promise<SequencerRun> {
  return sequenceAndSign(pool, { signer: logSigner(), verifiers: logVerifiers() });
}

export interface StoredCheckpoint {
  treeSize: number;
  rootHash: string;
  signedAt: Date;
  note: string;
}

interface CheckpointRow {
  tree_size: string;
  root_hash: string;
  signed_at: Date;
  note: string;
}

function toCheckpoint(row: CheckpointRow): StoredCheckpoint {
  return {
    treeSize: Number(row.tree_size),
    rootHash: row.root_hash,
    signedAt: row.signed_at,
    note: row.note,
  };
}

export async function latestCheckpoint(): Promise<StoredCheckpoint | null> {
  // Qualified: a bare ORDER BY tree_size would sort the ::text output column ("8" after "11").
  const { rows } = await pool.query<CheckpointRow>(
    `SELECT c.tree_size::text, c.root_hash, c.signed_at, c.note FROM ledger_tree_checkpoints c
      ORDER BY c.tree_size DESC LIMIT 1`,
  );
  return rows[0] ? toCheckpoint(rows[0]) : null;
}

/** The checkpoint the log signed at exactly this size, if any. */
export async function checkpointAt(size: number): Promise<StoredCheckpoint | null> {
  const { rows } = await pool.query<CheckpointRow>(
    `SELECT tree_size::text, root_hash, signed_at, note FROM ledger_tree_checkpoints WHERE tree_size = $1`,
    [size],
  );
  return rows[0] ? toCheckpoint(rows[0]) : null;
}

/** The signed note with the witnesses' cosignature lines added (clients ignore keys they do not know). */
export async function publishedNote(checkpoint: StoredCheckpoint): Promise<string> {
  const { rows } = await pool.query<{ line: string }>(
    `SELECT line FROM ledger_cosignatures WHERE tree_size = $1 ORDER BY witness_id`,
    [checkpoint.treeSize],
  );
  return checkpoint.note + rows.map((row) => `${row.line}\n`).join("");
}

export interface ConsistencyAnswer {
  from: number;
  to: number;
  proof: string[];
}

export async function getConsistencyProof(from: number, to: number): Promise<Result<ConsistencyAnswer>> {
  const latest = await latestCheckpoint();
  if (!latest || to > latest.treeSize || from > to)
    return fail(400, "invalid_range", "Ask for 0 ≤ from ≤ to ≤ the latest checkpoint's size.");
  const proof = await consistencyProof(pool, from, to);
  return ok({ from, to, proof: proof.map((hash) => hash.toString("base64")) });
}

export interface InclusionAnswer {
  eventId: string;
  eventHash: string;
  leafIndex: number;
  leafHash: string;
  treeSize: number;
  proof: string[];
  /** The signed checkpoint the proof leads to. */
  checkpoint: string;
}

/**
 * An event's inclusion proof against the latest checkpoint (or the one of
 * `size`, which must be signed and contain the event). Public: the event id
 * is an unguessable UUID, and the answer holds only hashes.
 */
export async function getInclusionProof(eventId: string, size?: number): Promise<Result<InclusionAnswer>> {
  const { rows } = await pool.query<{ leaf_index: string; event_hash: string }>(
    "SELECT leaf_index::text, event_hash FROM ledger_leaves WHERE event_id = $1",
    [eventId],
  );
  const leaf = rows[0];
  if (!leaf) return fail(404, "not_in_log", "This event has no leaf in the log (yet).");
  const checkpoint = size === undefined ? await latestCheckpoint() : await checkpointAt(size);
  if (!checkpoint) return fail(404, "no_checkpoint", "The log has signed no checkpoint of that size.");
  const index = Number(leaf.leaf_index);
  if (index >= checkpoint.treeSize)
    return fail(404, "not_yet_checkpointed", "The event's leaf is not yet under a signed checkpoint.");
  const proof = await inclusionProof(pool, index, checkpoint.treeSize);
  return ok({
    eventId,
    eventHash: leaf.event_hash,
    leafIndex: index,
    leafHash: leafHash(Buffer.from(leaf.event_hash, "hex")).toString("base64"),
    treeSize: checkpoint.treeSize,
    proof: proof.map((hash) => hash.toString("base64")),
    checkpoint: checkpoint.note,
  });
}

/** Makes sure the event is under a signed checkpoint (runs the sequencer if it is not yet), then proves it. */
export async function provenInclusion(eventId: string): Promise<InclusionAnswer | null> {
  const first = await getInclusionProof(eventId);
  if (first.ok) return first.data;
  await sequenceNow();
  const second = await getInclusionProof(eventId);
  return second.ok ? second.data : null;
}

export interface LogDescription {
  origin: string;
  verifierKey: string;
  keyId: string;
  /** Earlier keys whose signatures still count. */
  earlierKeys: string[];
  maxMergeDelaySeconds: number;
  jwks: { keys: Record<string, unknown>[] };
}

/** What a client needs to check the log and receipts: published at /.well-known/accord-log.json. */
export async function describeLog(): Promise<LogDescription> {
  const signer = logSigner();
  const verifiers = logVerifiers();
  const keys = await Promise.all(
    verifiers.map(async (verifier) => ({
      ...(await exportJWK(verifier.publicKey)),
      kid: verifier.keyId,
      alg: "EdDSA",
      use: "sig",
    })),
  );
  return {
    origin: signer.name,
    verifierKey: formatVerifierKey(signer),
    keyId: signer.keyId,
    earlierKeys: verifiers.slice(1).map(formatVerifierKey),
    maxMergeDelaySeconds: MAX_MERGE_DELAY_SECONDS,
    jwks: { keys },
  };
}

// ---------------------------------------------------------------------------
// Witnesses

interface WitnessRow {
  id: number;
  name: string;
  vkey: string;
}

async function witnesses(): Promise<(WitnessRow & { verifier: NoteVerifier })[]> {
  const { rows } = await pool.query<WitnessRow>("SELECT id, name, vkey FROM ledger_witnesses ORDER BY id");
  return rows.map((row) => ({ ...row, verifier: parseVerifierKey(row.vkey) }));
}

/** Registers a witness by its verifier key (type 0x04); returns its id. */
export async function addWitness(vkey: string, addedById: string | null): Promise<Result<{ id: number }>> {
  let verifier: NoteVerifier;
  try {
    verifier = parseVerifierKey(vkey);
  } catch (error) {
    return fail(400, "invalid_key", error instanceof Error ? error.message : "malformed verifier key");
  }
  if (verifier.type !== SIG_COSIGNATURE_V1)
    return fail(400, "invalid_key", "A witness key must be a cosignature key (type 0x04).");
  const canonical = formatVerifierKey(verifier);
  await pool.query(
    `INSERT INTO ledger_witnesses (name, vkey, added_at, added_by_id) VALUES ($1, $2, $3, $4)
     ON CONFLICT (vkey) DO NOTHING`,
    [verifier.name, canonical, now(), addedById],
  );
  const { rows } = await pool.query<{ id: number }>("SELECT id FROM ledger_witnesses WHERE vkey = $1", [
    canonical,
  ]);
  return ok({ id: rows[0]?.id ?? 0 });
}

export interface AcceptedCosignatures {
  treeSize: number;
  accepted: string[];
}

/**
 * Stores the cosignatures a witness sends: the checkpoint note as the log
 * signed it, with the witness's signature line(s) added. Only registered
 * witnesses' valid cosignatures of a checkpoint this log signed count.
 */
export async function acceptCosignatures(message: string): Promise<Result<AcceptedCosignatures>> {
  let note;
  try {
    note = parseNote(message);
  } catch (error) {
    return fail(400, "invalid_note", error instanceof NoteError ? error.message : "malformed note");
  }
  let size: number;
  try {
    size = parseCheckpointText(note.text).size;
  } catch {
    return fail(400, "invalid_note", "The note is not a checkpoint.");
  }
  const checkpoint = await checkpointAt(size);
  if (!checkpoint || parseNote(checkpoint.note).text !== note.text)
    return fail(409, "unknown_checkpoint", "This log signed no such checkpoint.");
  const known = await witnesses();
  const accepted: string[] = [];
  for (const signature of note.signatures) {
    const witness = known.find((w) => w.name === signature.name && w.verifier.keyId === signature.keyId);
    if (!witness) continue;
    const at = cosignatureTime(note.text, signature, witness.verifier);
    if (!at) return fail(400, "bad_cosignature", `The cosignature of ${witness.name} does not verify.`);
    await pool.query(
      `INSERT INTO ledger_cosignatures (witness_id, tree_size, cosigned_at, line, received_at)
       VALUES ($1, $2, $3, $4, $5) ON CONFLICT (witness_id, tree_size) DO NOTHING`,
      [witness.id, size, at, signature.line, now()],
    );
    accepted.push(witness.name);
  }
  if (accepted.length === 0)
    return fail(403, "unknown_witness", "No cosignature from a registered witness was found.");
  return ok({ treeSize: size, accepted });
}

export interface WitnessView {
  name: string;
  vkey: string;
  latestSize: number | null;
  latestAt: Date | null;
  cosignatures: number;
}

/** Which witnesses have seen which tree size. */
export async function witnessOverview(): Promise<WitnessView[]> {
  const { rows } = await pool.query<{
    name: string;
    vkey: string;
    latest_size: string | null;
    latest_at: Date | null;
    count: number;
  }>(
    `SELECT w.name, w.vkey, max(c.tree_size)::text AS latest_size, max(c.cosigned_at) AS latest_at,
            count(c.tree_size)::int AS count
       FROM ledger_witnesses w LEFT JOIN ledger_cosignatures c ON c.witness_id = w.id
      GROUP BY w.id, w.name, w.vkey ORDER BY w.id`,
  );
  return rows.map((row) => ({
    name: row.name,
    vkey: row.vkey,
    latestSize: row.latest_size === null ? null : Number(row.latest_size),
    latestAt: row.latest_at,
    cosignatures: row.count,
  }));
}
