// Checks an export without our database (docs/exports.md, docs/ledger.md):
// every event's hash, every chain link whose both ends are in the file,
// every checkpoint root whose leaves are all in the file, and the manifest's
// row count and file hash. Events arrive in file order (ledger position), so
// chains are checked as they stream past: memory grows with the number of
// subjects, plus the leaves of checkpoints the file covers completely.
import { GENESIS_HASH, LEDGER_FORMAT_VERSION, eventHash } from "@/lib/ledger/event-hash";
import { leafHash, TreeBuilder } from "@/lib/ledger/merkle";
import {
  EXPORT_FORMAT,
  EXPORT_FORMAT_VERSION,
  type ExportManifest,
  type ExportedEvent,
  type ManifestCheckpoint,
} from "@/lib/ledger/export/export-format";

export interface EventRef {
  id: string;
  seq: number;
  subjectId: string;
  /** Line of the file the event starts on. */
  line: number;
}

export interface Problem {
  code:
    | "unreadable"
    | "hash_mismatch"
    | "broken_link"
    | "bad_genesis"
    | "missing_events"
    | "out_of_order"
    | "checkpoint_root"
    | "checkpoint_count"
    | "checkpoint_range"
    | "uncheckpointed_count"
    | "row_count"
    | "file_sha256"
    | "manifest";
  message: string;
  event?: EventRef;
}

export interface VerifyReport {
  ok: boolean;
  rows: number;
  subjects: number;
  problems: Problem[];
  linksChecked: number;
  /** Links whose previous event is not in the file (left out by the export's filters). */
  linksNotCheckable: number;
  checkpointsVerified: number;
  /** Checkpoints only part of whose events are in the file. */
  checkpointsNotCheckable: number;
  uncheckpointed: number;
  fileSha256: string;
  manifest: ExportManifest | null;
}

interface ChainTip {
  seq: number;
  hash: string;
}

interface CheckpointLeaves {
  checkpoint: ManifestCheckpoint;
  from: bigint;
  to: bigint;
  present: number;
  /**
   * The root of its leaves so far, computed as they stream past (rows come in
   * position order, the checkpoint's leaf order): O(log n) memory per
   * checkpoint. Only when the file may hold all of the checkpoint's events.
   */
  tree: TreeBuilder | null;
  firstPosition: string | null;
  lastPosition: string | null;
}

export function describeEvent(event: EventRef): string {
  return `event ${event.id} (seq ${event.seq}, subject ${event.subjectId}, line ${event.line})`;
}

export class ExportVerifier {
  private readonly problems: Problem[] = [];
  private readonly tips = new Map<string, ChainTip>();
  private rows = 0;
  private linksChecked = 0;
  private linksNotCheckable = 0;
  private uncheckpointed = 0;
  private lastPosition: bigint | null = null;
  private checkpoints: CheckpointLeaves[] = [];
  private manifest: ExportManifest | null = null;
  /** A whole-ledger export: every gap in a chain is a missing event, not a filter. */
  private complete = false;

  /** The manifest must be known before events arrive (NDJSON: read the last line first; CSV: the manifest file). */
  setManifest(manifest: unknown): void {
    const problem = checkManifest(manifest);
    if (problem) {
      this.problems.push({ code: "manifest", message: problem });
      return;
    }
    this.manifest = manifest as ExportManifest;
    this.complete = Object.keys(this.manifest.filters).length === 0;
    this.checkpoints = [...this.manifest.checkpoints]
      .map((checkpoint) => ({
        checkpoint,
        from: BigInt(checkpoint.txidFrom),
        to: BigInt(checkpoint.txidTo),
        present: 0,
        tree: checkpoint.exportedCount >= checkpoint.eventCount ? new TreeBuilder() : null,
        firstPosition: null,
        lastPosition: null,
      }))
      .sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0));
  }

  unreadable(line: number, reason: string, text: string): void {
    this.rows += 1;
    const id = /"?id"?\s*[:,]\s*"?([0-9a-f-]{36})/i.exec(text)?.[1];
    this.problems.push({
      code: "unreadable",
      message: `line ${line}: ${reason}${id ? ` (it looks like event ${id})` : ""}`,
    });
  }

  add(event: ExportedEvent, line: number): void {
    this.rows += 1;
    const ref: EventRef = { id: event.id, seq: event.seq, subjectId: event.subjectId, line };

    if (eventHash(event) !== event.hash) {
      this.problems.push({
        code: "hash_mismatch",
        event: ref,
        message: `${describeEvent(ref)}: its content does not match its hash`,
      });
    }

    const position = BigInt(event.position);
    if (this.lastPosition !== null && position <= this.lastPosition) {
      this.problems.push({
        code: "out_of_order",
        event: ref,
        message: `${describeEvent(ref)}: position ${position} is not after the previous row's`,
      });
    }
    this.lastPosition = position;

    this.checkChain(event, ref);
    this.collectLeaf(event);
  }

  private checkChain(event: ExportedEvent, ref: EventRef) {
    const tip = this.tips.get(event.subjectId);
    this.tips.set(event.subjectId, { seq: event.seq, hash: event.hash });
    if (tip && event.seq <= tip.seq) {
      this.problems.push({
        code: "out_of_order",
        event: ref,
        message: `${describeEvent(ref)}: seq ${event.seq} comes after seq ${tip.seq} of the same subject`,
      });
      return;
    }
    if (event.seq === 1) {
      this.linksChecked += 1;
      if (event.prevHash !== GENESIS_HASH) {
        this.problems.push({
          code: "bad_genesis",
          event: ref,
          message: `${describeEvent(ref)}: the first event of a chain must link to the genesis hash`,
        });
      }
      return;
    }
    if (tip && tip.seq === event.seq - 1) {
      this.linksChecked += 1;
      if (event.prevHash !== tip.hash) {
        this.problems.push({
          code: "broken_link",
          event: ref,
          message: `${describeEvent(ref)}: prevHash does not match the hash of seq ${tip.seq}`,
        });
      }
      return;
    }
    if (this.complete) {
      const first = tip ? tip.seq + 1 : 1;
      const missing = first === event.seq - 1 ? `seq ${first} is` : `seqs ${first}–${event.seq - 1} are`;
      this.problems.push({
        code: "missing_events",
        event: ref,
        message: `${describeEvent(ref)}: ${missing} missing from this whole-ledger export`,
      });
    } else {
      this.linksNotCheckable += 1;
    }
  }

  private collectLeaf(event: ExportedEvent) {
    if (!this.manifest) return;
    const txid = BigInt(event.txid);
    let lo = 0;
    let hi = this.checkpoints.length - 1;
    let found: CheckpointLeaves | undefined;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const candidate = this.checkpoints[mid] as CheckpointLeaves;
      if (candidate.from <= txid) {
        found = candidate;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    if (!found || txid >= found.to) {
      this.uncheckpointed += 1;
      return;
    }
    found.present += 1;
    found.tree?.addLeafHash(leafHash(Buffer.from(event.hash, "hex")));
    found.firstPosition ??= event.position;
    found.lastPosition = event.position;
  }

  finish(fileSha256: string): VerifyReport {
    let checkpointsVerified = 0;
    let checkpointsNotCheckable = 0;
    const manifest = this.manifest;
    if (!manifest) {
      if (!this.problems.some((p) => p.code === "manifest")) {
        this.problems.push({
          code: "manifest",
          message: "no manifest: the row count, the file hash and the checkpoints cannot be checked",
        });
      }
    } else {
      for (const entry of this.checkpoints) {
        const { checkpoint } = entry;
        const name = `checkpoint ${checkpoint.id} (txid ${checkpoint.txidFrom}–${checkpoint.txidTo})`;
        if (entry.present !== checkpoint.exportedCount) {
          this.problems.push({
            code: "checkpoint_count",
            message: `${name}: the manifest says ${checkpoint.exportedCount} of its events were exported, the file holds ${entry.present}`,
          });
        }
        if (this.complete && checkpoint.exportedCount !== checkpoint.eventCount) {
          this.problems.push({
            code: "checkpoint_count",
            message: `${name}: it holds ${checkpoint.eventCount} events, but this whole-ledger export says ${checkpoint.exportedCount} were exported`,
          });
        }
        if (entry.tree && entry.present === checkpoint.eventCount) {
          const root = entry.tree.root().toString("hex");
          if (root !== checkpoint.merkleRoot)
            this.problems.push({
              code: "checkpoint_root",
              message: `${name}: the Merkle root of its ${entry.present} events does not match`,
            });
          else if (
            entry.firstPosition !== checkpoint.firstPosition ||
            entry.lastPosition !== checkpoint.lastPosition
          )
            this.problems.push({
              code: "checkpoint_count",
              message: `${name}: its events run from position ${entry.firstPosition} to ${entry.lastPosition}, the checkpoint says ${checkpoint.firstPosition} to ${checkpoint.lastPosition}`,
            });
          else checkpointsVerified += 1;
        } else {
          checkpointsNotCheckable += 1;
        }
      }
      // In a whole-ledger export every checkpoint is listed: from txid 0, each starting where the last ended.
      this.checkpoints.forEach((entry, i) => {
        const previous = this.checkpoints[i - 1];
        const expected = previous ? previous.to : 0n;
        if (this.complete && entry.from !== expected)
          this.problems.push({
            code: "checkpoint_range",
            message: `checkpoint ${entry.checkpoint.id} starts at txid ${entry.from}, but ${previous ? `the previous one ends at ${previous.to}` : "the first must start at 0"}`,
          });
      });
      if (this.uncheckpointed !== manifest.uncheckpointedCount) {
        this.problems.push({
          code: "uncheckpointed_count",
          message: `the manifest says ${manifest.uncheckpointedCount} rows are not under a checkpoint, the file has ${this.uncheckpointed}`,
        });
      }
      if (manifest.rowCount !== this.rows) {
        this.problems.push({
          code: "row_count",
          message: `the manifest says ${manifest.rowCount} rows, the file has ${this.rows}`,
        });
      }
      if (manifest.sha256 !== fileSha256) {
        this.problems.push({
          code: "file_sha256",
          message: `the file's SHA-256 is ${fileSha256}, the manifest says ${manifest.sha256}`,
        });
      }
    }
    return {
      ok: this.problems.length === 0,
      rows: this.rows,
      subjects: this.tips.size,
      problems: this.problems,
      linksChecked: this.linksChecked,
      linksNotCheckable: this.linksNotCheckable,
      checkpointsVerified,
      checkpointsNotCheckable,
      uncheckpointed: this.uncheckpointed,
      fileSha256,
      manifest,
    };
  }
}

function checkManifest(value: unknown): string | null {
  if (!value || typeof value !== "object") return "the manifest is not a JSON object";
  const m = value as Partial<ExportManifest>;
  if (m.format !== EXPORT_FORMAT) return `the manifest's format is not "${EXPORT_FORMAT}"`;
  if (m.formatVersion !== EXPORT_FORMAT_VERSION)
    return `export format version ${String(m.formatVersion)} is not supported`;
  if (m.ledgerFormatVersion !== LEDGER_FORMAT_VERSION)
    return `ledger format version ${String(m.ledgerFormatVersion)} is not supported`;
  if (typeof m.rowCount !== "number" || typeof m.sha256 !== "string")
    return "the manifest has no row count or SHA-256";
  if (!m.filters || typeof m.filters !== "object") return "the manifest has no filters";
  if (typeof m.uncheckpointedCount !== "number") return "the manifest has no uncheckpointed count";
  const valid =
    Array.isArray(m.checkpoints) &&
    m.checkpoints.every((c) => {
      try {
        return (
          BigInt(c.txidFrom) < BigInt(c.txidTo) &&
          Number.isInteger(c.eventCount) &&
          Number.isInteger(c.exportedCount) &&
          /^[0-9a-f]{64}$/.test(c.merkleRoot)
        );
      } catch {
        return false;
      }
    });
  return valid ? null : "the manifest's checkpoints are malformed";
}
