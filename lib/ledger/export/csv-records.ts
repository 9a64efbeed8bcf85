// Reads back the CSV dialect our exports write (PostgreSQL's COPY CSV) with
// csv-parse: comma-separated, "-quoted with "" as an escaped quote, \n
// between records. An empty unquoted cell is NULL and a quoted empty cell
// ("") is the empty string; this reader gives both as "" and the verifier
// lets the event's hash decide (verify-export-file.ts): asking csv-parse for
// each field's quoting (a `cast` with its context) made reading 15× slower.
import { pipeline } from "node:stream/promises";
import { parse, type CsvError, type Info } from "csv-parse";

export type CsvRecord = string[];

/** A record and the line it starts on, or a stretch the parser had to skip. */
export type CsvItem = { record: CsvRecord; line: number } | { error: string; line: number };

interface Skipped {
  error: string;
  line: number;
}

/**
 * Streams the records of a CSV source. Memory stays flat whatever the file's
 * size: the parser holds one chunk and a few records at a time.
 *
 * A damaged file must be reported, not abort the check: cells of the wrong
 * number reach the caller as they are, a stray quote inside an unquoted cell
 * is kept as text (PostgreSQL never writes one, so the event's hash no longer
 * matches and names it), and what cannot be parsed at all is an error item.
 */
export async function* readCsvRecords(source: AsyncIterable<Uint8Array | string>): AsyncGenerator<CsvItem> {
  const skipped: Skipped[] = [];
  const parser = parse({
    info: true,
    relax_column_count: true,
    relax_quotes: true,
    skip_records_with_error: true,
    on_skip: (error: CsvError | undefined) => {
      if (error) skipped.push({ error: error.message, line: lineOf(error) });
      return undefined;
    },
  });
  const feeding = pipeline(source, parser);
  // Iterating the parser surfaces the same failure; this only keeps it from being unhandled.
  feeding.catch(() => undefined);

  // csv-parse reports the line a record ends on; it starts after the previous one ended.
  let lastLine = 0;
  function* skippedUpTo(line: number): Generator<CsvItem> {
    while (skipped.length && (skipped[0] as Skipped).line <= line) {
      const skip = skipped.shift() as Skipped;
      lastLine = Math.max(lastLine, skip.line);
      yield skip;
    }
  }

  for await (const { record, info } of parser as AsyncIterable<{ record: CsvRecord; info: Info }>) {
    yield* skippedUpTo(info.lines);
    yield { record, line: lastLine + 1 };
    lastLine = info.lines;
  }
  await feeding;
  yield* skippedUpTo(Number.POSITIVE_INFINITY);
}

function lineOf(error: CsvError): number {
  return typeof error.lines === "number" ? error.lines : 0;
}
