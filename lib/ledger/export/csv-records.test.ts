import { stringify } from "csv-stringify/sync";
import { describe, expect, it } from "vitest";
import { readCsvRecords, type CsvItem } from "@/lib/ledger/export/csv-records";

async function read(text: string, chunkSize = text.length): Promise<CsvItem[]> {
  const bytes = Buffer.from(text, "utf8");
  async function* chunks() {
    for (let i = 0; i < bytes.length; i += chunkSize) yield bytes.subarray(i, i + chunkSize);
  }
  const out: CsvItem[] = [];
  for await (const item of readCsvRecords(chunks())) out.push(item);
  return out;
}

const records = (items: CsvItem[]) => items.map((item) => ("record" in item ? item.record : item));

describe("the export CSV reader", () => {
  const rows = [
    ["a", null, "", 'say "hi"', "x,y", "two\nlines", "ünï ✓ 😀"],
    ["", null, "last", null, '"', "", "z"],
  ];
  // Written exactly as the export writes: "" quoted, NULL an empty cell.
  const text = stringify(rows, { quoted_match: /^$/ });
  // Both read as "": the event's hash decides which it was (verify-export-file.ts).
  const read_ = rows.map((row) => row.map((cell) => cell ?? ""));

  it("undoes quoting; NULL and the empty string both read as empty", async () => {
    expect(text).toContain(',"",');
    expect(records(await read(text))).toEqual(read_);
  });

  it("gives the same records whatever the chunk boundaries, inside multi-byte characters too", async () => {
    for (const size of [1, 2, 3, 7]) expect(records(await read(text, size))).toEqual(read_);
  });

  it("numbers records by the line they start on, and accepts CRLF and a missing final newline", async () => {
    expect((await read(text)).map((r) => r.line)).toEqual([1, 3]);
    expect(records(await read('a,b\r\n"c",\r\nd,""'))).toEqual([
      ["a", "b"],
      ["c", ""],
      ["d", ""],
    ]);
  });

  it("hands damaged records to the caller instead of failing the whole file", async () => {
    const items = await read('a,b\nc,d,e\nf"g,h\ni,"j\n');
    expect(items.slice(0, 3)).toEqual([
      { record: ["a", "b"], line: 1 },
      { record: ["c", "d", "e"], line: 2 },
      { record: ['f"g', "h"], line: 3 },
    ]);
    expect(items[3]).toMatchObject({ error: expect.stringContaining("Quoted field unterminated") });
    expect(items).toHaveLength(4);
  });

  it("reports a quote never closed instead of holding the rest of the file", async () => {
    const items = await read(`a,b\nc,"${"x".repeat(1_200_000)}\nd,e\n`, 64 * 1024);
    expect(items[0]).toEqual({ record: ["a", "b"], line: 1 });
    expect(items[1]).toMatchObject({ error: expect.stringContaining("never closed"), line: 2 });
  });
});
