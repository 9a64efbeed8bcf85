// What anyone holding a signed event (a receipt, or the signed event an API
// answer carries) can check against the log at any later time, with nothing
// but the log's public key and public endpoints (docs/ledger.md §15):
//  - the event's hash recomputes and the log key signed its content;
//  - the receipt's inclusion proof leads to its signed checkpoint;
//  - today's checkpoint extends that one (consistency proof): history before
//    it was not rewritten;
//  - today's log still has the event, under the same hash; an event the log
//    has no leaf for after the maximum merge delay is a broken promise, and
//    the signature proves the log made it.
// A receipt issued after the event was pruned (docs/ledger.md §12) carries no
// personal fields: only the hash is checked, through the log.
import { eventHash, type HashedEventFields } from "@/lib/ledger/event-hash";
import { verifyEventSignature } from "@/lib/ledger/event-signature";
import { leafHash, verifyConsistency, verifyInclusion } from "@/lib/ledger/merkle";
import { NoteError, openNote, type NoteVerifier } from "@/lib/ledger/note";
import { parseCheckpointText, type CheckpointBody } from "@/lib/ledger/tlog-checkpoint";

export interface HeldEvent {
  fields: HashedEventFields;
  hash: string;
  signature: string | null;
  /** The receipt's proof, when the holder has one. */
  log?: { leafIndex: number; treeSize: number; proof: string[]; checkpoint: string } | null;
  /**
   * Set when the receipt was issued after the event was pruned (docs/ledger.md
   * §12): its personal fields are gone, so neither its hash nor its signature
   * can be recomputed; the hash is checked through the log alone.
   */
  prunedAt?: string | null;
}

export interface HolderLogClient {
  checkpoint(): Promise<string>;
  consistency(from: number, to: number): Promise<Buffer[]>;
  /** The event's leaf and proof against the latest checkpoint, or null when the log has none. */
  inclusion(
    eventId: string,
  ): Promise<{ leafIndex: number; treeSize: number; eventHash: string; proof: Buffer[] } | null>;
}

export type HolderProblem =
  "invalid_receipt" | "bad_checkpoint" | "rollback" | "rewritten" | "missing" | "different_hash";

export interface HolderReport {
  ok: boolean;
  /** The held event is pruned: only its hash (its leaf, its place in the log) was checked, not its fields. */
  pruned: boolean;
  /** The event is not in the log yet, but the merge delay has not passed. */
  pending: boolean;
  problems: { code: HolderProblem; message: string }[];
}

function open(note: string, key: NoteVerifier): CheckpointBody {
  return parseCheckpointText(openNote(note, key).text);
}

export async function checkHeldEvent(
  held: HeldEvent,
  logKey: NoteVerifier,
  client: HolderLogClient,
  options: { now: Date; maxMergeDelaySeconds: number },
): Promise<HolderReport> {
  const problems: HolderReport["problems"] = [];
  const pruned = Boolean(held.prunedAt);
  const report = (pending = false): HolderReport => ({
    ok: problems.length === 0,
    pruned,
    pending,
    problems,
  });
  const id = held.fields.id;

  // A pruned event's fields no longer give its hash or its signed content:
  // what remains provable is that its hash is a leaf of the signed log.
  if (pruned && !held.log)
    problems.push({
      code: "invalid_receipt",
      message: `event ${id}: a pruned event's receipt must carry its inclusion proof`,
    });
  if (!pruned && eventHash(held.fields) !== held.hash)
    problems.push({ code: "invalid_receipt", message: `event ${id}: its fields do not give its hash` });
  const content = { ...held.fields } as Partial<HashedEventFields>;
  delete content.seq;
  delete content.prevHash;
  if (
    !pruned &&
    !verifyEventSignature(content as Omit<HashedEventFields, "seq" | "prevHash">, held.signature, logKey)
  )
    problems.push({ code: "invalid_receipt", message: `event ${id}: the log key did not sign it` });
  let held_checkpoint: CheckpointBody | null = null;
  if (held.log) {
    try {
      held_checkpoint = open(held.log.checkpoint, logKey);
      const proof = held.log.proof.map((p) => Buffer.from(p, "base64"));
      if (
        held_checkpoint.size !== held.log.treeSize ||
        !verifyInclusion(
          held.log.leafIndex,
          held.log.treeSize,
          leafHash(Buffer.from(held.hash, "hex")),
          proof,
          held_checkpoint.root,
        )
      )
        problems.push({
          code: "invalid_receipt",
          message: `event ${id}: the receipt's inclusion proof does not hold`,
        });
    } catch (error) {
      problems.push({ code: "invalid_receipt", message: `the receipt's checkpoint: ${String(error)}` });
    }
  }
  if (problems.length) return report();

  let latest: CheckpointBody;
  try {
    latest = open(await client.checkpoint(), logKey);
  } catch (error) {
    problems.push({
      code: "bad_checkpoint",
      message: `the log's checkpoint does not verify: ${error instanceof NoteError ? error.message : String(error)}`,
    });
    return report();
  }
  if (held_checkpoint) {
    if (latest.size < held_checkpoint.size) {
      problems.push({
        code: "rollback",
        message: `the log shows ${latest.size} leaves, fewer than the ${held_checkpoint.size} of the receipt's checkpoint`,
      });
      return report();
    }
    const proof =
      latest.size > held_checkpoint.size ? await client.consistency(held_checkpoint.size, latest.size) : [];
    if (!verifyConsistency(held_checkpoint.size, latest.size, held_checkpoint.root, latest.root, proof)) {
      problems.push({
        code: "rewritten",
        message: `the log's tree of ${latest.size} leaves does not extend the tree of ${held_checkpoint.size} the receipt was issued against: history was rewritten`,
      });
      return report();
    }
  }
  const inclusion = await client.inclusion(id);
  if (!inclusion) {
    const age = (options.now.getTime() - Date.parse(held.fields.recordedAt)) / 1000;
    if (held.log || age > options.maxMergeDelaySeconds) {
      problems.push({
        code: "missing",
        message: `event ${id}: the log has no leaf for it ${Math.round(age)} s after it was recorded; the log key signed it, so the log promised one`,
      });
      return report();
    }
    return report(true);
  }
  if (inclusion.eventHash !== held.hash)
    problems.push({
      code: "different_hash",
      message: `event ${id}: the log's leaf holds ${inclusion.eventHash}, not the held ${held.hash}`,
    });
  else if (
    inclusion.treeSize !== latest.size ||
    !verifyInclusion(
      inclusion.leafIndex,
      inclusion.treeSize,
      leafHash(Buffer.from(held.hash, "hex")),
      inclusion.proof,
      latest.root,
    )
  )
    problems.push({
      code: "rewritten",
      message: `event ${id}: the log's inclusion proof does not lead to its checkpoint`,
    });
  return report();
}
