// The log half of the export verifier (format 2, docs/exports.md): the
// manifest's checkpoint must be signed by the log key; the rows with a leaf
// below its tree size must number what the manifest says; in a whole-ledger
// export those rows are every leaf 0..size-1, and the root computed from them
// as they stream past must be the signed root; with --since, the earlier
// checkpoint must be a prefix of this one (its root recomputed from the file,
// or an RFC 9162 consistency proof from the manifest). Flat memory: a
// TreeBuilder (O(log n)) plus a reorder buffer for the few leaves whose order
// differs from the file's (position) order by commit timing.
import { leafHash, TreeBuilder, verifyConsistency, EMPTY_ROOT, type Hash } from "@/lib/ledger/merkle";
import { NoteError, openNote, parseVerifierKey, type NoteVerifier } from "@/lib/ledger/note";
import { parseCheckpointText, type CheckpointBody } from "@/lib/ledger/tlog-checkpoint";
import type { LedgerProblem } from "@/lib/ledger/check/problems";
import type { ManifestLog } from "@/lib/ledger/export/export-format";

export interface LogCheckInput {
  /** The log's verifier key the user trusts (`--log-key`); without it, the manifest's key is used and said so. */
  logKey?: string;
  /** An earlier export's manifest (JSON) or a checkpoint note the user kept (`--since`). */
  since?: string;
}

export interface LogCheckReport {
  treeSize: number;
  /** The key that checked the signature was given by the user, not taken from the manifest. */
  keyPinned: boolean;
  /** Whole-ledger export: the root recomputed from the file's leaves equals the signed root. */
  rootRecomputed: boolean;
  inCheckpoint: number;
  since: { size: number; result: "consistent" | "inconsistent" | "not_checkable" } | null;
}

const message = (error: unknown) =>
  error instanceof NoteError || error instanceof Error ? error.message : String(error);

export class ExportLogCheck {
  private key: NoteVerifier | null = null;
  private keyPinned = false;
  private checkpoint: CheckpointBody | null = null;
  private since: CheckpointBody | null = null;
  private sinceRoot: Hash | null = null;
  private readonly tree = new TreeBuilder();
  private readonly pending = new Map<number, Hash>();
  private inCheckpoint = 0;

  constructor(
    private readonly log: ManifestLog | undefined,
    private readonly whole: boolean,
    private readonly problems: LedgerProblem[],
    input: LogCheckInput,
  ) {
    try {
      if (input.logKey) {
        this.key = parseVerifierKey(input.logKey);
        this.keyPinned = true;
      }
    } catch (error) {
      this.fail(`the log key given is not a verifier key: ${message(error)}`);
      return;
    }
    if (!log) {
      this.fail("the manifest carries no signed checkpoint of the log");
      return;
    }
    try {
      const manifestKey = parseVerifierKey(log.verifierKey);
      if (this.key && (this.key.keyId !== manifestKey.keyId || this.key.name !== manifestKey.name))
        throw new Error(
          `the manifest names the log key ${manifestKey.name}+${manifestKey.keyId}, not the one given`,
        );
      this.key ??= manifestKey;
      const body = parseCheckpointText(openNote(log.checkpoint, this.key).text);
      if (body.size !== log.treeSize || body.root.toString("hex") !== log.rootHash)
        throw new Error(
          `the signed checkpoint says size ${body.size}, the manifest ${log.treeSize} (or the roots differ)`,
        );
      this.checkpoint = body;
    } catch (error) {
      this.fail(`the manifest's checkpoint: ${message(error)}`);
      return;
    }
    if (input.since) this.openSince(input.since);
  }

  private fail(text: string) {
    this.problems.push({ kind: "log", message: text });
  }

  private openSince(text: string) {
    let note = text;
    try {
      const parsed = JSON.parse(text) as { log?: { checkpoint?: unknown } };
      if (typeof parsed?.log?.checkpoint !== "string")
        throw new Error("the earlier manifest carries no signed checkpoint (export format 1?)");
      note = parsed.log.checkpoint;
    } catch (error) {
      if (!(error instanceof SyntaxError)) {
        this.fail(`--since: ${message(error)}`);
        return;
      }
    }
    try {
      this.since = parseCheckpointText(openNote(note, this.key as NoteVerifier).text);
    } catch (error) {
      this.fail(`--since: the earlier checkpoint does not verify with the log key: ${message(error)}`);
      return;
    }
    if (this.since.size === 0) this.sinceRoot = EMPTY_ROOT;
  }

  /** One row of the file. */
  add(
    leafIndex: string | null | undefined,
    eventHash: string,
    ref: Pick<LedgerProblem, "eventId" | "subjectId" | "seq" | "line">,
  ) {
    if (!this.checkpoint || leafIndex === null || leafIndex === undefined) return;
    const index = Number(leafIndex);
    if (index >= this.checkpoint.size) return;
    this.inCheckpoint += 1;
    if (!this.whole) return;
    if (index < this.tree.size || this.pending.has(index)) {
      this.problems.push({ kind: "log", ...ref, message: `leaf ${index} appears more than once` });
      return;
    }
    this.pending.set(index, leafHash(Buffer.from(eventHash, "hex")));
    for (let next = this.pending.get(this.tree.size); next; next = this.pending.get(this.tree.size)) {
      this.pending.delete(this.tree.size);
      this.tree.addLeafHash(next);
      if (this.since && this.tree.size === this.since.size) this.sinceRoot = this.tree.root();
    }
  }

  finish(): LogCheckReport | null {
    const log = this.log;
    const checkpoint = this.checkpoint;
    if (!log || !checkpoint) return null;
    if (this.inCheckpoint !== log.inCheckpoint)
      this.problems.push({
        kind: "count",
        message: `the manifest says ${log.inCheckpoint} rows are under the signed checkpoint of size ${log.treeSize}, the file has ${this.inCheckpoint}`,
      });
    let rootRecomputed = false;
    if (this.whole) {
      if (this.tree.size !== checkpoint.size) {
        const missing = this.tree.size;
        this.fail(
          `leaves ${missing}–${checkpoint.size - 1} of the signed checkpoint are not all in this whole-ledger export (the first missing is ${missing})`,
        );
      } else if (!this.tree.root().equals(checkpoint.root)) {
        this.fail(
          `the root of the file's ${checkpoint.size} leaves is not the signed root: the log was rewritten`,
        );
      } else rootRecomputed = true;
    }
    let since: LogCheckReport["since"] = null;
    if (this.since) {
      const earlier = this.since;
      since = { size: earlier.size, result: "consistent" };
      const before = this.problems.length;
      if (earlier.size > checkpoint.size)
        this.fail(
          `--since: the earlier checkpoint has ${earlier.size} leaves, this export's only ${checkpoint.size}: a rollback`,
        );
      else if (earlier.size === checkpoint.size) {
        if (!earlier.root.equals(checkpoint.root))
          this.fail(`--since: two different roots for size ${earlier.size}: a fork`);
      } else if (this.whole && this.sinceRoot) {
        if (!this.sinceRoot.equals(earlier.root))
          this.fail(
            `--since: the file's first ${earlier.size} leaves do not give the earlier root: history was rewritten`,
          );
      } else {
        const entry = log.consistency.find((c) => c.fromSize === earlier.size);
        if (!entry) since.result = "not_checkable";
        else if (
          !verifyConsistency(
            earlier.size,
            checkpoint.size,
            earlier.root,
            checkpoint.root,
            entry.proof.map((p) => Buffer.from(p, "base64")),
          )
        )
          this.fail(
            `--since: the consistency proof from ${earlier.size} to ${checkpoint.size} does not hold: history was rewritten`,
          );
      }
      if (this.problems.length > before) since.result = "inconsistent";
    }
    return {
      treeSize: checkpoint.size,
      keyPinned: this.keyPinned,
      rootRecomputed,
      inCheckpoint: this.inCheckpoint,
      since,
    };
  }
}
