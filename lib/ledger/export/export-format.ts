// The export file format (docs/exports.md). Pure: the server writes with it and
// the offline verifier reads with it, so the two cannot drift apart.
import type { HashedEventFields } from "@/lib/ledger/event-hash";

export const EXPORT_FORMAT = "accord-consent-export";
/**
 * Format 2 adds the prunedAt and leafIndex columns and the manifest's `log`
 * (the signed checkpoint the file is consistent with, and consistency proofs;
 * docs/exports.md); the verifier still reads format 1.
 */
export const EXPORT_FORMAT_VERSION = 2;
export const SUPPORTED_EXPORT_FORMAT_VERSIONS = [1, 2] as const;

/** One ledger event as exported: the hashed fields plus the stored hash and ordering keys. */
export interface ExportedEvent extends HashedEventFields {
  hash: string;
  /** Global order (decimal string): Merkle leaves are ordered by it. */
  position: string;
  /** Writing transaction id (decimal string): decides which checkpoint covers the event. */
  txid: string;
  /** When its personal fields were pruned (docs/ledger.md §12), or null; absent in format 1 files. */
  prunedAt?: string | null;
  /** Its leaf in the log (decimal string), or null before the sequencer reached it; absent in format 1 files. */
  leafIndex?: string | null;
}

/** Column order of CSV files and of the SELECT that feeds every export. */
export const EVENT_COLUMNS = [
  "id",
  "subjectId",
  "seq",
  "action",
  "versionId",
  "versionNumber",
  "purposeKey",
  "noticeSha256",
  "method",
  "recordedAt",
  "ipTruncated",
  "userAgent",
  "locale",
  "idempotencyKey",
  "prevHash",
  "hash",
  "position",
  "txid",
  "prunedAt",
  "leafIndex",
] as const satisfies readonly (keyof ExportedEvent)[];

/** Format 1 files have neither prunedAt nor leafIndex. */
export const EVENT_COLUMNS_V1 = EVENT_COLUMNS.slice(0, -2);

/**
 * The same columns in SQL, named as in EVENT_COLUMNS, each as the text the
 * hash was computed over: recorded_at exactly as Date#toISOString() writes it.
 * PostgreSQL's CSV writer (COPY) then produces the export's cells and header.
 */
const COLUMN_EXPRESSIONS = [
  "e.id",
  "e.subject_id",
  "e.seq",
  "e.action",
  "e.version_id",
  "e.version_number",
  "e.purpose_key",
  "e.notice_sha256",
  "e.method",
  `to_char(e.recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`,
  "e.ip_truncated",
  "e.user_agent",
  "e.locale",
  "e.idempotency_key",
  "e.prev_hash",
  "e.hash",
  "e.position::text",
  "e.txid::text",
  `to_char(e.pruned_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`,
  "(SELECT l.leaf_index::text FROM ledger_leaves l WHERE l.event_id = e.id)",
];

export const EVENT_COLUMNS_SQL = COLUMN_EXPRESSIONS.map(
  (expression, i) => `${expression} AS "${EVENT_COLUMNS[i]}"`,
).join(", ");

/**
 * Spreadsheet-safe CSV (docs/exports.md, issue 9 finding 10): the columns
 * that hold free text (the others are UUIDs, hex, enums, numbers and times,
 * which never start with these characters).
 */
export const SPREADSHEET_SAFE_COLUMNS = [
  "purposeKey",
  "ipTruncated",
  "userAgent",
  "locale",
  "idempotencyKey",
] as const satisfies readonly (typeof EVENT_COLUMNS)[number][];

/**
 * A cell starting with = + - @ tab or CR is a formula to a spreadsheet: it
 * gets a leading apostrophe, and so does a cell that already starts with one,
 * so the verifier can undo it exactly (drop one leading apostrophe).
 */
const FORMULA_START = String.raw`E'^[-=+@\t\r'']'`;

/** EVENT_COLUMNS_SQL with the free-text columns made spreadsheet-safe. */
export const SPREADSHEET_SAFE_COLUMNS_SQL = COLUMN_EXPRESSIONS.map((expression, i) => {
  const column = EVENT_COLUMNS[i] as (typeof EVENT_COLUMNS)[number];
  const safe = (SPREADSHEET_SAFE_COLUMNS as readonly string[]).includes(column)
    ? `CASE WHEN ${expression} ~ ${FORMULA_START} THEN '''' || ${expression} ELSE ${expression} END`
    : expression;
  return `${safe} AS "${column}"`;
}).join(", ");

/** Undoes the spreadsheet-safe prefix of one cell. */
export function unescapeSpreadsheetCell(cell: string | null): string | null {
  return cell !== null && cell.startsWith("'") ? cell.slice(1) : cell;
}

/** A row read with rowMode "array" and every value as text (NULL stays null). */
export function rowToExportedEvent(row: readonly (string | number | null)[]): ExportedEvent {
  const text = (i: number) => (row[i] === null || row[i] === undefined ? null : String(row[i]));
  const required = (i: number) => text(i) ?? "";
  return {
    id: required(0),
    subjectId: required(1),
    seq: Number(row[2]),
    action: required(3),
    versionId: required(4),
    versionNumber: Number(row[5]),
    purposeKey: text(6),
    noticeSha256: required(7),
    method: required(8),
    recordedAt: required(9),
    ipTruncated: text(10),
    userAgent: text(11),
    locale: text(12),
    idempotencyKey: required(13),
    prevHash: required(14),
    hash: required(15),
    position: required(16),
    txid: required(17),
    prunedAt: text(18),
    leafIndex: text(19),
  };
}

export interface ManifestCheckpoint {
  id: number;
  txidFrom: string;
  txidTo: string;
  eventCount: number;
  firstPosition: string | null;
  lastPosition: string | null;
  merkleRoot: string;
  createdAt: string;
  /** How many of this checkpoint's events are in the file. */
  exportedCount: number;
}

/** Format 2: the signed checkpoint of the log the file is consistent with (docs/exports.md). */
export interface ManifestLog {
  /** The log's verifier key (C2SP note format); pin it with `npm run verify -- --log-key`. */
  verifierKey: string;
  /** The signed checkpoint note (C2SP signed-note + tlog-checkpoint), the latest when the export ran. */
  checkpoint: string;
  treeSize: number;
  /** Root hash at treeSize, lowercase hex (also in the signed note, base64). */
  rootHash: string;
  /** How many of the file's rows have a leaf below treeSize. */
  inCheckpoint: number;
  /** RFC 9162 consistency proofs to treeSize from the tree sizes of earlier exports (`--since`). */
  consistency: { fromSize: number; proof: string[] }[];
}

export interface ExportManifest {
  type: "manifest";
  format: typeof EXPORT_FORMAT;
  formatVersion: (typeof SUPPORTED_EXPORT_FORMAT_VERSIONS)[number];
  ledgerFormatVersion: number;
  exportId: string;
  fileFormat: "csv" | "ndjson";
  /** The filters as given; {} means the whole ledger. */
  filters: Record<string, string>;
  order: "position";
  rowCount: number;
  startedAt: string;
  completedAt: string;
  exportedBy: { id: string; email: string; role: string };
  /** SHA-256 (hex) of the file's bytes: the whole CSV file, or every NDJSON line before the manifest line. */
  sha256: string;
  checkpoints: ManifestCheckpoint[];
  /** Rows written by transactions no checkpoint covered yet when the export started. */
  uncheckpointedCount: number;
  /** Format 2. */
  log?: ManifestLog;
  /** CSV made for spreadsheets: free-text cells starting with = + - @ tab CR or ' carry a leading apostrophe. */
  spreadsheetSafe?: true;
}

/**
 * The NDJSON export's SELECT: one compact JSON object per event, made by
 * PostgreSQL (row_to_json writes no spaces, keys in column order, control
 * characters escaped), the same shape as ndjsonEventLine.
 */
export function ndjsonSelect(where: string): string {
  return `SELECT row_to_json(x)::text FROM (SELECT 'event' AS "type", ${EVENT_COLUMNS_SQL} FROM consent_events e ${where} ORDER BY e.position) x`;
}

/** NDJSON line of one event: `{"type":"event", ...}` with the columns in order. */
export function ndjsonEventLine(event: ExportedEvent): string {
  return `${JSON.stringify({ type: "event", ...event })}\n`;
}
