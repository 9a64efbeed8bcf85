// Reads an export file (NDJSON or CSV) from disk and runs the verifier over it,
// streaming: the file is never held in memory whole.
import { createHash } from "node:crypto";
import { createReadStream, existsSync, readFileSync } from "node:fs";
import { open } from "node:fs/promises";
import {
  EVENT_COLUMNS,
  EVENT_COLUMNS_V1,
  SPREADSHEET_SAFE_COLUMNS,
  unescapeSpreadsheetCell,
  type ExportedEvent,
} from "@/lib/ledger/export/export-format";
import { readCsvRecords, type CsvRecord } from "@/lib/ledger/export/csv-records";
import { ExportVerifier, type VerifyReport } from "@/lib/ledger/export/export-verifier";
import { eventHash } from "@/lib/ledger/event-hash";
import type { LogCheckInput } from "@/lib/ledger/export/log-check";

export interface VerifyFileOptions extends LogCheckInput {
  /** For CSV: the manifest file (default: `<file>.manifest.json`, or `<file without .csv>.manifest.json`). */
  manifestPath?: string;
}

export async function verifyExportFile(path: string, options: VerifyFileOptions = {}): Promise<VerifyReport> {
  return (await looksLikeNdjson(path)) ? verifyNdjson(path, options) : verifyCsv(path, options);
}

async function looksLikeNdjson(path: string): Promise<boolean> {
  if (path.endsWith(".ndjson") || path.endsWith(".jsonl")) return true;
  if (path.endsWith(".csv")) return false;
  const handle = await open(path, "r");
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(1), 0, 1, 0);
    return bytesRead === 1 && buffer[0] === 0x7b; // "{"
  } finally {
    await handle.close();
  }
}

const NEWLINE = 0x0a;
const BLANK = /^\s*$/;
/** Read size: small chunks, so few of them wait for the garbage collector behind the lines cut from them. */
const CHUNK_BYTES = 1 << 16;

/** Yields the file's lines as raw bytes, each with its trailing \n (the last may lack one). */
async function* rawLines(path: string): AsyncGenerator<Buffer> {
  let carry: Buffer[] = [];
  for await (const chunk of createReadStream(path, { highWaterMark: CHUNK_BYTES }) as AsyncIterable<Buffer>) {
    let start = 0;
    let at = chunk.indexOf(NEWLINE, start);
    while (at !== -1) {
      const piece = chunk.subarray(start, at + 1);
      yield carry.length ? Buffer.concat([...carry, piece]) : piece;
      carry = [];
      start = at + 1;
      at = chunk.indexOf(NEWLINE, start);
    }
    if (start < chunk.length) carry.push(chunk.subarray(start));
  }
  if (carry.length) yield Buffer.concat(carry);
}

/** The last non-empty line, read from the end of the file: the manifest of an NDJSON export. */
async function lastLine(path: string): Promise<string> {
  const handle = await open(path, "r");
  try {
    const { size } = await handle.stat();
    const length = Math.min(size, 4 << 20);
    const { buffer } = await handle.read(Buffer.alloc(length), 0, length, size - length);
    const text = buffer.toString("utf8").replace(/\n+$/, "");
    return text.slice(text.lastIndexOf("\n") + 1);
  } finally {
    await handle.close();
  }
}

async function verifyNdjson(path: string, options: VerifyFileOptions): Promise<VerifyReport> {
  const verifier = new ExportVerifier(options);
  let manifestText = "";
  try {
    manifestText = await lastLine(path);
    const manifest = JSON.parse(manifestText) as { type?: unknown };
    if (manifest.type === "manifest") verifier.setManifest(manifest);
    else manifestText = "";
  } catch {
    manifestText = "";
  }
  const hash = createHash("sha256");
  let pending: Buffer | null = null;
  let lineNumber = 0;
  // Per line: one string and the parsed object, both dead by the next line
  // (JSON.parse ignores the trailing newline; nothing is copied).
  const handle = (bytes: Buffer, line: number) => {
    const text = bytes.toString("utf8");
    if (BLANK.test(text)) return;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      verifier.unreadable(line, "not valid JSON", text.trimEnd());
      return;
    }
    const event = asEvent(value);
    if (typeof event === "string") verifier.unreadable(line, event, text.trimEnd());
    else verifier.add(event, line);
  };
  for await (const bytes of rawLines(path)) {
    lineNumber += 1;
    // The file hash covers every line before the manifest: hash a line once we know it is not the last.
    if (pending) {
      hash.update(pending);
      handle(pending, lineNumber - 1);
    }
    pending = bytes;
  }
  if (pending) {
    const isManifest = manifestText !== "" && pending.toString("utf8").replace(/\r?\n$/, "") === manifestText;
    if (!isManifest) {
      hash.update(pending);
      handle(pending, lineNumber);
    }
  }
  return verifier.finish(hash.digest("hex"));
}

async function verifyCsv(path: string, options: VerifyFileOptions): Promise<VerifyReport> {
  const verifier = new ExportVerifier(options);
  const manifestPath =
    options.manifestPath ??
    [`${path}.manifest.json`, `${path.replace(/\.csv$/, "")}.manifest.json`].find(existsSync);
  let spreadsheetSafe = false;
  if (manifestPath) {
    try {
      const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as { spreadsheetSafe?: unknown };
      spreadsheetSafe = manifest?.spreadsheetSafe === true;
      verifier.setManifest(manifest);
    } catch {
      verifier.setManifest(null);
    }
  }
  const hash = createHash("sha256");
  // The manifest's sha256 covers the file's bytes as they are: hash them on their way to the parser.
  async function* hashed(): AsyncGenerator<Buffer> {
    for await (const chunk of createReadStream(path, {
      highWaterMark: CHUNK_BYTES,
    }) as AsyncIterable<Buffer>) {
      hash.update(chunk);
      yield chunk;
    }
  }
  let header: CsvRecord | null = null;
  let columns: readonly string[] = EVENT_COLUMNS;
  for await (const item of readCsvRecords(hashed())) {
    if ("error" in item) {
      verifier.unreadable(item.line, `not readable as CSV: ${item.error}`, "");
      continue;
    }
    const { record, line } = item;
    if (!header) {
      header = record;
      const expected = EVENT_COLUMNS.join(",");
      if (record.join(",") === EVENT_COLUMNS_V1.join(",")) columns = EVENT_COLUMNS_V1;
      else if (record.join(",") !== expected) verifier.unreadable(line, `the header must be ${expected}`, "");
      continue;
    }
    // A spreadsheet-safe file: drop the apostrophe the export put before formula-like free text.
    if (spreadsheetSafe)
      for (const column of SPREADSHEET_SAFE_COLUMNS) {
        const i = columns.indexOf(column);
        if (i >= 0) record[i] = unescapeSpreadsheetCell(record[i] ?? "") ?? "";
      }
    const read = csvEvent(record, columns);
    if (typeof read === "string") verifier.unreadable(line, read, record.join(","));
    else verifier.add(read.event, line, read.recomputed);
  }
  return verifier.finish(hash.digest("hex"));
}

/** Hashed columns that may be NULL: an empty CSV cell there is NULL or "", and the hash decides. */
const AMBIGUOUS_WHEN_EMPTY = ["purposeKey", "ipTruncated", "userAgent", "locale"] as const;

/**
 * The event in a CSV record, or why it is not one. When telling NULL from ""
 * took hashing, `recomputed` is the returned event's hash, so the chain walk
 * does not hash it again (that second hash made CSV 2.26× NDJSON's time).
 */
function csvEvent(
  record: CsvRecord,
  columns: readonly string[],
): { event: ExportedEvent; recomputed?: string } | string {
  if (record.length !== columns.length) return `expected ${columns.length} cells, found ${record.length}`;
  const value: Record<string, unknown> = {};
  columns.forEach((column, i) => {
    const cell = record[i] ?? "";
    value[column] =
      (column === "seq" || column === "versionNumber") && /^\d+$/.test(cell)
        ? Number(cell)
        : cell === "" && (column === "prunedAt" || column === "leafIndex")
          ? null
          : cell;
  });
  const empty = AMBIGUOUS_WHEN_EMPTY.filter((field) => value[field] === "");
  for (const field of empty) value[field] = null;
  const event = asEvent({ type: "event", ...value });
  if (typeof event === "string") return event;
  if (empty.length === 0 || event.prunedAt) return { event };
  // NULL is by far the more common: try it first, then every way of making some of them "".
  const recomputed = eventHash(event);
  if (recomputed === event.hash) return { event, recomputed };
  for (let mask = 1; mask < 1 << empty.length; mask++) {
    const candidate: ExportedEvent = { ...event };
    empty.forEach((field, bit) => {
      if (mask & (1 << bit)) candidate[field] = "";
    });
    const hash = eventHash(candidate);
    if (hash === candidate.hash) return { event: candidate, recomputed: hash };
  }
  // No reading matches: the all-NULL one is reported, with the hash it has.
  return { event, recomputed };
}

const STRING_FIELDS = [
  "id",
  "subjectId",
  "action",
  "versionId",
  "noticeSha256",
  "method",
  "recordedAt",
  "idempotencyKey",
  "prevHash",
  "hash",
] as const;
const NULLABLE_FIELDS = ["purposeKey", "ipTruncated", "userAgent", "locale"] as const;

/** The event in a parsed line, or why it is not one. */
function asEvent(value: unknown): ExportedEvent | string {
  if (!value || typeof value !== "object") return "not an event object";
  const v = value as Record<string, unknown>;
  if (v.type !== "event")
    return v.type === "manifest" ? "a manifest line before the end of the file" : "not an event line";
  for (const field of STRING_FIELDS)
    if (typeof v[field] !== "string") return `${field} is missing or not text`;
  for (const field of NULLABLE_FIELDS)
    if (v[field] !== null && typeof v[field] !== "string") return `${field} is not text or null`;
  if (!Number.isInteger(v.seq) || !Number.isInteger(v.versionNumber))
    return "seq and versionNumber must be whole numbers";
  if (typeof v.position !== "string" || !/^\d+$/.test(v.position))
    return "position is missing or not a number";
  if (typeof v.txid !== "string" || !/^\d+$/.test(v.txid)) return "txid is missing or not a number";
  if (v.prunedAt !== undefined && v.prunedAt !== null && typeof v.prunedAt !== "string")
    return "prunedAt is not text or null";
  if (
    v.leafIndex !== undefined &&
    v.leafIndex !== null &&
    (typeof v.leafIndex !== "string" || !/^\d+$/.test(v.leafIndex))
  )
    return "leafIndex is not a number or null";
  // The parsed object itself (its extra `type` member is never read): no copy per line.
  return v as unknown as ExportedEvent;
}
