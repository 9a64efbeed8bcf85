import "server-only";
// One event's place in the log (docs/ledger.md §12, §13, §16), as the
// evidence page shows it: its leaf, the signed checkpoint over it with the
// witnesses' cosignatures, and its inclusion proof, each checked here the way
// an outsider would: the checkpoint's signature with the trusted log keys, and
// the proof from the hash the event row holds now (not the leaf's copy), so a
// rewritten event fails the check.
import { pool } from "@/lib/db";
import { now } from "@/lib/clock";
import { leafHash, rootFromInclusionProof } from "@/lib/ledger/merkle";
import { NoteError, parseNote, verifiedSignatures } from "@/lib/ledger/note";
import { parseCheckpointText } from "@/lib/ledger/tlog-checkpoint";
import { logVerifiers } from "@/lib/ledger/log/signing-key";
import { checkpointAt, provenInclusion, witnessOverview } from "@/lib/ledger/log/public-log";
import { MAX_MERGE_DELAY_SECONDS } from "@/lib/ledger/verify-log";

export interface LogCosignature {
  witness: string;
  cosignedAt: string;
}

export interface LogWitnessView {
  name: string;
  /** The largest tree size the witness cosigned, or null. */
  latestSize: number | null;
  /** It cosigned a tree that contains this event's leaf. */
  seenEvent: boolean;
}

export interface SignedCheckpointView {
  origin: string;
  treeSize: number;
  /** Lowercase hex, as stored; the note carries it in base64. */
  rootHash: string;
  signedAt: string;
  keyId: string;
  /** The signed note as published at /api/v1/log/checkpoint, cosignature lines included. */
  note: string;
  /** The log's signature verifies with a trusted log key. */
  signatureValid: boolean;
  /** Why it does not, when it does not. */
  signatureProblem: string | null;
}

export type EventInLog =
  | {
      status: "included";
      leafIndex: number;
      /** The hash the leaf holds (hex); equals the event's own unless the event was rewritten. */
      leafEventHash: string;
      leafEventHashMatches: boolean;
      /** RFC 9162 leaf hash of the event's stored hash: SHA-256(0x00 || hash), hex. */
      leafHash: string;
      checkpoint: SignedCheckpointView;
      /** Audit path from the leaf to the checkpoint's root (hex, leaf side first). */
      proof: string[];
      /** The proof leads from the event's stored hash to the signed root. */
      proofValid: boolean;
      cosignatures: LogCosignature[];
      witnesses: LogWitnessView[];
    }
  | {
      /** No leaf under a signed checkpoint (yet): "pending" within the maximum merge delay, else "missing". */
      status: "pending" | "missing";
      leafIndex: number | null;
      maxMergeDelaySeconds: number;
    };

const hex = (base64: string) => Buffer.from(base64, "base64").toString("hex");

/**
 * Where the event is in the log, with its proof against the latest signed
 * checkpoint (the sequencer runs first if the event is not yet under one).
 */
export async function eventInLog(event: {
  id: string;
  hash: string;
  recordedAt: string;
}): Promise<EventInLog> {
  const inclusion = await provenInclusion(event.id);
  if (!inclusion) {
    const { rows } = await pool.query<{ leaf_index: string }>(
      "SELECT leaf_index::text FROM ledger_leaves WHERE event_id = $1",
      [event.id],
    );
    const age = (now().getTime() - Date.parse(event.recordedAt)) / 1000;
    return {
      status: age > MAX_MERGE_DELAY_SECONDS ? "missing" : "pending",
      leafIndex: rows[0] ? Number(rows[0].leaf_index) : null,
      maxMergeDelaySeconds: MAX_MERGE_DELAY_SECONDS,
    };
  }
  const note = parseNote(inclusion.checkpoint);
  const body = parseCheckpointText(note.text);
  let signatureProblem: string | null = null;
  let keyId = "";
  try {
    const [good] = verifiedSignatures(note, logVerifiers());
    if (good) keyId = good.keyId;
    else signatureProblem = "not signed by a trusted log key";
  } catch (error) {
    signatureProblem = error instanceof NoteError ? error.message : String(error);
  }
  const leaf = leafHash(Buffer.from(event.hash, "hex"));
  const proof = inclusion.proof.map((hash) => Buffer.from(hash, "base64"));
  const root = rootFromInclusionProof(inclusion.leafIndex, inclusion.treeSize, leaf, proof);

  const [cosignatures, witnesses, signed] = await Promise.all([
    pool.query<{ name: string; cosigned_at: Date; line: string }>(
      `SELECT w.name, c.cosigned_at, c.line FROM ledger_cosignatures c
         JOIN ledger_witnesses w ON w.id = c.witness_id
        WHERE c.tree_size = $1 ORDER BY c.witness_id`,
      [inclusion.treeSize],
    ),
    witnessOverview(),
    checkpointAt(inclusion.treeSize),
  ]);
  return {
    status: "included",
    leafIndex: inclusion.leafIndex,
    leafEventHash: inclusion.eventHash,
    leafEventHashMatches: inclusion.eventHash === event.hash,
    leafHash: leaf.toString("hex"),
    checkpoint: {
      origin: body.origin,
      treeSize: body.size,
      rootHash: body.root.toString("hex"),
      signedAt: (signed?.signedAt ?? body.time).toISOString(),
      keyId,
      // As /api/v1/log/checkpoint publishes it: the witnesses' lines after the log's.
      note: inclusion.checkpoint + cosignatures.rows.map((row) => `${row.line}\n`).join(""),
      signatureValid: signatureProblem === null,
      signatureProblem,
    },
    proof: inclusion.proof.map(hex),
    proofValid: root !== null && root.equals(body.root),
    cosignatures: cosignatures.rows.map((row) => ({
      witness: row.name,
      cosignedAt: row.cosigned_at.toISOString(),
    })),
    witnesses: witnesses.map((witness) => ({
      name: witness.name,
      latestSize: witness.latestSize,
      seenEvent: witness.latestSize !== null && witness.latestSize > inclusion.leafIndex,
    })),
  };
}
