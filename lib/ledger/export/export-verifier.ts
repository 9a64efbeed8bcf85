// Checks an export without our database (docs/exports.md, docs/ledger.md):
// every event's hash, every chain link whose both ends are in the file,
// every checkpoint root whose leaves are all in the file, and the manifest's
// row count and file hash. Events arrive in file order (ledger position), so
// chains are checked as they stream past: memory grows with the number of
// subjects, plus the leaves of checkpoints the file covers completely.
import { LEDGER_FORMAT_VERSION } from "@/lib/ledger/event-hash";
import { ChainWalk } from "@/lib/ledger/check/chain-walk";
import { describeEvent, eventFields, type LedgerProblem } from "@/lib/ledger/check/problems";
import { leafHash, TreeBuilder } from "@/lib/ledger/merkle";
import {
  EXPORT_FORMAT,
  SUPPORTED_EXPORT_FORMAT_VERSIONS,
  type ExportManifest,
  type ExportedEvent,
  type ManifestCheckpoint,
} from "@/lib/ledger/export/export-format";
import { ExportLogCheck, type LogCheckInput, type LogCheckReport } from "@/lib/ledger/export/log-check";

export type { LedgerProblem } from "@/lib/ledger/check/problems";

export interface VerifyReport {
  ok: boolean;
  rows: number;
  subjects: number;
  problems: LedgerProblem[];
  /** Events whose personal fields were pruned: hash taken as stored, links and leaves checked. */
  pruned: number;
  linksChecked: number;
  /** Links whose previous event is not in the file (left out by the export's filters). */
  linksNotCheckable: number;
  checkpointsVerified: number;
  /** Checkpoints only part of whose events are in the file. */
  checkpointsNotCheckable: number;
  uncheckpointed: number;
  fileSha256: string;
  manifest: ExportManifest | null;
  /** Format 2: what was checked against the log's signed checkpoint. */
  log: LogCheckReport | null;
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

export class ExportVerifier {
  private readonly problems: LedgerProblem[] = [];
  private walk = new ChainWalk({ complete: false }, this.problems);
  private rows = 0;
  private uncheckpointed = 0;
  private lastPosition: bigint | null = null;
  private checkpoints: CheckpointLeaves[] = [];
  private manifest: ExportManifest | null = null;
  /** A whole-ledger export: every gap in a chain is a missing event, not a filter. */
  private complete = false;
  private logCheck: ExportLogCheck | null = null;

  constructor(private readonly input: LogCheckInput = {}) {}

  /** The manifest must be known before events arrive (NDJSON: read the last line first; CSV: the manifest file). */
  setManifest(manifest: unknown): void {
    const problem = checkManifest(manifest);
    if (problem) {
      this.problems.push({ kind: "manifest", message: problem });
      return;
    }
    this.manifest = manifest as ExportManifest;
    this.complete = Object.keys(this.manifest.filters).length === 0;
    this.walk = new ChainWalk({ complete: this.complete }, this.problems);
    if (this.manifest.formatVersion >= 2)
      this.logCheck = new ExportLogCheck(this.manifest.log, this.complete, this.problems, this.input);
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
      kind: "unreadable",
      message: `line ${line}: ${reason}${id ? ` (it looks like event ${id})` : ""}`,
    });
  }

  /** `recomputed`: eventHash(event), when the reader already computed it (see ChainWalk.add). */
  add(event: ExportedEvent, line: number, recomputed?: string): void {
    this.rows += 1;
    const position = BigInt(event.position);
    if (this.lastPosition !== null && position <= this.lastPosition) {
      this.problems.push({
        kind: "order",
        ...eventFields({ id: event.id, subjectId: event.subjectId, seq: event.seq, line }),
        message: `${describeEvent({ id: event.id, subjectId: event.subjectId, seq: event.seq, line })}: position ${position} is not after the previous row's`,
      });
    }
    this.lastPosition = position;
    this.walk.add(event, line, recomputed);
    this.collectLeaf(event);
    this.logCheck?.add(event.leafIndex, event.hash, {
      eventId: event.id,
      subjectId: event.subjectId,
      seq: event.seq,
      line,
    });
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
    const log = this.logCheck?.finish() ?? null;
    const manifest = this.manifest;
    if (!manifest) {
      if (!this.problems.some((p) => p.kind === "manifest")) {
        this.problems.push({
          kind: "manifest",
          message: "no manifest: the row count, the file hash and the checkpoints cannot be checked",
        });
      }
    } else {
      for (const entry of this.checkpoints) {
        const { checkpoint } = entry;
        const name = `checkpoint ${checkpoint.id} (txid ${checkpoint.txidFrom}–${checkpoint.txidTo})`;
        if (entry.present !== checkpoint.exportedCount) {
          this.problems.push({
            kind: "checkpoint",
            message: `${name}: the manifest says ${checkpoint.exportedCount} of its events were exported, the file holds ${entry.present}`,
          });
        }
        if (this.complete && checkpoint.exportedCount !== checkpoint.eventCount) {
          this.problems.push({
            kind: "checkpoint",
            message: `${name}: it holds ${checkpoint.eventCount} events, but this whole-ledger export says ${checkpoint.exportedCount} were exported`,
          });
        }
        if (entry.tree && entry.present === checkpoint.eventCount) {
          const root = entry.tree.root().toString("hex");
          if (root !== checkpoint.merkleRoot)
            this.problems.push({
              kind: "checkpoint",
              message: `${name}: the Merkle root of its ${entry.present} events does not match`,
            });
          else if (
            entry.firstPosition !== checkpoint.firstPosition ||
            entry.lastPosition !== checkpoint.lastPosition
          )
            this.problems.push({
              kind: "checkpoint",
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
            kind: "checkpoint",
            message: `checkpoint ${entry.checkpoint.id} starts at txid ${entry.from}, but ${previous ? `the previous one ends at ${previous.to}` : "the first must start at 0"}`,
          });
      });
      if (this.uncheckpointed !== manifest.uncheckpointedCount) {
        this.problems.push({
          kind: "count",
          message: `the manifest says ${manifest.uncheckpointedCount} rows are not under a checkpoint, the file has ${this.uncheckpointed}`,
        });
      }
      if (manifest.rowCount !== this.rows) {
        this.problems.push({
          kind: "count",
          message: `the manifest says ${manifest.rowCount} rows, the file has ${this.rows}`,
        });
      }
      if (manifest.sha256 !== fileSha256) {
        this.problems.push({
          kind: "file",
          message: `the file's SHA-256 is ${fileSha256}, the manifest says ${manifest.sha256}`,
        });
      }
    }
    return {
      ok: this.problems.length === 0,
      rows: this.rows,
      subjects: this.walk.subjects,
      problems: this.problems,
      pruned: this.walk.pruned,
      linksChecked: this.walk.linksChecked,
      linksNotCheckable: this.walk.linksNotCheckable,
      checkpointsVerified,
      checkpointsNotCheckable,
      uncheckpointed: this.uncheckpointed,
      fileSha256,
      manifest,
      log,
    };
  }
}

function checkManifest(value: unknown): string | null {
  if (!value || typeof value !== "object") return "the manifest is not a JSON object";
  const m = value as Partial<ExportManifest>;
  if (m.format !== EXPORT_FORMAT) return `the manifest's format is not "${EXPORT_FORMAT}"`;
  if (!(SUPPORTED_EXPORT_FORMAT_VERSIONS as readonly unknown[]).includes(m.formatVersion))
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
