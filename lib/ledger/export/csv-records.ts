// Reads back the CSV dialect our exports write (PostgreSQL's COPY CSV) with
// Papa Parse: comma-separated, "-quoted with "" as an escaped quote, \n (or
// \r\n) between records. An empty unquoted cell is NULL and a quoted empty
// cell ("") is the empty string; this reader gives both as "" and the
// verifier lets the event's hash decide (verify-export-file.ts).
//
// Papa Parse's parser runs over each chunk of text as it arrives, leaving the
// record the chunk ends inside for the next one (its `ignoreLastRow`, the way
// its own streamer works), so memory holds one chunk and the records it made.
// It reads about 5× faster than csv-parse did on export rows (22–25 µs a row
// against 4–5 µs, docs/benchmarks.md), which kept verifying a CSV export
// within 2× of the same export in NDJSON.
import { StringDecoder } from "node:string_decoder";
import Papa from "papaparse";

export type CsvRecord = string[];

/** A record and the line it starts on, or a stretch the parser had to skip. */
export type CsvItem = { record: CsvRecord; line: number } | { error: string; line: number };

/**
 * A record no export writes is shorter than this; text without a record
 * boundary beyond it (an opening quote never closed) is reported and skipped
 * rather than held until the end of the file.
 */
const MAX_PENDING_CHARS = 1 << 20;

/**
 * Streams the records of a CSV source. Memory stays flat whatever the file's
 * size: the parser holds one chunk and the records made from it.
 *
 * A damaged file must be reported, not abort the check: cells of the wrong
 * number reach the caller as they are, a stray quote inside an unquoted cell
 * is kept as text (PostgreSQL never writes one, so the event's hash no longer
 * matches and names it), and a record with broken quoting is an error item.
 */
export async function* readCsvRecords(source: AsyncIterable<Uint8Array | string>): AsyncGenerator<CsvItem> {
  const decoder = new StringDecoder("utf8");
  let pending = "";
  let newline: "\n" | "\r\n" | undefined;
  let line = 1;

  function* take(final: boolean): Generator<CsvItem> {
    if (pending === "") return;
    // The file's line break, from its first one (the header's: it holds no quotes).
    if (newline === undefined) {
      const at = pending.indexOf("\n");
      if (at < 0 && !final) return;
      newline = at > 0 && pending[at - 1] === "\r" ? "\r\n" : "\n";
    }
    const parser = new Papa.Parser({ delimiter: ",", newline, quoteChar: '"', escapeChar: '"' });
    const result = parser.parse(pending, 0, !final) as {
      data: CsvRecord[];
      errors: { row?: number; message: string }[];
      meta: { cursor: number };
    };
    if (!final && result.data.length === 0 && pending.length > MAX_PENDING_CHARS) {
      // No record ends within a megabyte: report the stretch and go on after it.
      yield { error: "a quoted cell is never closed (1 MiB without the end of a record)", line };
      line += count(pending, "\n");
      pending = "";
      return;
    }
    pending = final ? "" : pending.slice(result.meta.cursor);
    const broken = new Map<number, string>();
    for (const error of result.errors)
      if (error.row !== undefined && !broken.has(error.row)) broken.set(error.row, error.message);
    for (const [row, record] of result.data.entries()) {
      // A final line break leaves one empty "record" behind it: not a record.
      if (final && row === result.data.length - 1 && record.length === 1 && record[0] === "") break;
      const error = broken.get(row);
      yield error === undefined ? { record, line } : { error, line };
      // Each record ends with a line break; quoted cells may hold more of them.
      line += 1;
      for (const cell of record) if (cell.includes("\n")) line += count(cell, "\n");
    }
  }

  for await (const chunk of source) {
    pending += typeof chunk === "string" ? chunk : decoder.write(chunk);
    yield* take(false);
  }
  pending += decoder.end();
  yield* take(true);
}

function count(text: string, needle: string): number {
  let n = 0;
  for (let at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) n += 1;
  return n;
}
