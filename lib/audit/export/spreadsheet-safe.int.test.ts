// Issue 9 finding 10: a User-Agent that is a spreadsheet formula. The exact
// CSV keeps it byte for byte (the hash covers it); the spreadsheet-safe CSV
// (?format=csv&spreadsheetSafe=1) prefixes it with an apostrophe, and the
// verifier undoes that and still checks every hash.
import { randomUUID } from "node:crypto";
import { createReadStream, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/tests/helpers/test-database";
import { seed } from "@/prisma/seed";
import { exportQuerySchema } from "@/lib/audit/filters";
import { verifyExportFile } from "@/lib/ledger/export/verify-export-file";
import { readCsvRecords } from "@/lib/ledger/export/csv-records";
import type { Actor } from "@/lib/auth/actor";
import { endPool } from "@/tests/helpers/end-pool";

const EVIL = '=HYPERLINK("http://evil.example","x")';
let database: TestDatabase;
let owner: pg.Pool;
let auditor: Actor;
let subjectId: string;
let purposeKeys: string[];
let dir: string;
const previousUrl = process.env.DATABASE_URL;

type Lib = {
  db: typeof import("@/lib/db");
  exports: typeof import("@/lib/audit/export/export-stream");
  manifests: typeof import("@/lib/audit/export/manifests");
};
let lib: Lib;

beforeAll(async () => {
  database = await createTestDatabase();
  await seed(database.url, { demoAccounts: false });
  process.env.DATABASE_URL = database.runtimeUrl;
  delete (globalThis as { accordPool?: unknown }).accordPool;
  delete (globalThis as { accordPrisma?: unknown }).accordPrisma;
  lib = {
    db: await import("@/lib/db"),
    exports: await import("@/lib/audit/export/export-stream"),
    manifests: await import("@/lib/audit/export/manifests"),
  };
  owner = new pg.Pool({ connectionString: database.url, max: 2 });
  const { acceptAgreement } = await import("@/lib/consent/accept-agreement");
  const { changePurposeConsent } = await import("@/lib/consent/change-purpose");
  const { getVersionInEffect } = await import("@/lib/agreements/versions");
  subjectId = (
    await owner.query<{ id: string }>(
      "INSERT INTO users (id, email, password_hash) VALUES (gen_random_uuid(), $1, 'x') RETURNING id::text",
      [`sheet-${randomUUID()}@int.accord.test`],
    )
  ).rows[0]!.id;
  const version = (await getVersionInEffect())!;
  const meta = {
    ipTruncated: "192.0.2.0",
    userAgent: EVIL,
    locale: "@SUM(1+1)*cmd|' /C calc'!A0",
    gpc: false,
  };
  expect(
    (
      await acceptAgreement({
        subjectId,
        versionId: version.id,
        shownSha256: version.bodySha256,
        method: "WEB",
        meta,
      })
    ).ok,
  ).toBe(true);
  expect(
    (
      await changePurposeConsent({
        subjectId,
        purposeKey: "surveys",
        action: "grant",
        method: "API",
        meta: { ...meta, userAgent: "'already quoted", locale: "-2+3" },
        idempotencyKey: `api:+${randomUUID()}`,
      })
    ).ok,
  ).toBe(true);
  const id = randomUUID();
  await owner.query(`INSERT INTO users (id, email, password_hash, role) VALUES ($1, $2, 'x', 'AUDITOR')`, [
    id,
    `auditor-${id}@int.accord.test`,
  ]);
  auditor = { id, email: `auditor-${id}@int.accord.test`, role: "AUDITOR" };
  purposeKeys = (await owner.query<{ key: string }>("SELECT DISTINCT key FROM purposes")).rows.map(
    (r) => r.key,
  );
  dir = mkdtempSync(join(tmpdir(), "accord-sheet-"));
}, 120_000);

afterAll(async () => {
  if (owner) await endPool(owner);
  if (lib?.db) await endPool(lib.db.pool);
  process.env.DATABASE_URL = previousUrl;
  await database?.drop();
});

async function exportCsv(name: string, input: Record<string, string>) {
  const query = exportQuerySchema(purposeKeys).parse({ format: "csv", user: subjectId, ...input });
  const started = await lib.exports.startExport({ query, actor: auditor, meta: null });
  if (!started.ok) throw new Error(started.message);
  const path = join(dir, name);
  writeFileSync(path, Buffer.from(await new Response(started.data.body).arrayBuffer()));
  writeFileSync(
    `${path}.manifest.json`,
    JSON.stringify(await lib.manifests.getExportManifest(started.data.exportId)),
  );
  return { path, filename: started.data.filename };
}

async function cells(path: string): Promise<(string | null)[][]> {
  const rows: (string | null)[][] = [];
  for await (const item of readCsvRecords(createReadStream(path)))
    if ("record" in item) rows.push(item.record);
  return rows;
}

describe("CSV formula injection", () => {
  it("the exact CSV keeps the formula byte for byte, and verifies", async () => {
    const { path } = await exportCsv("exact.csv", {});
    const rows = await cells(path);
    const ua = rows[0]!.indexOf("userAgent");
    expect(rows[1]![ua]).toBe(EVIL);
    expect((await verifyExportFile(path)).problems).toEqual([]);
  });

  it("the spreadsheet-safe CSV starts no free-text cell with = + - @ tab or CR, and still verifies", async () => {
    const { path, filename } = await exportCsv("safe.csv", { spreadsheetSafe: "1" });
    expect(filename).toMatch(/-spreadsheet\.csv$/);
    const rows = await cells(path);
    const header = rows[0]!;
    const at = (column: string) => header.indexOf(column);
    expect(rows[1]![at("userAgent")]).toBe(`'${EVIL}`);
    // A value that already starts with an apostrophe gets one more, so the prefix can be undone exactly.
    expect(rows[2]![at("userAgent")]).toBe("''already quoted");
    for (const row of rows.slice(1)) for (const cell of row) expect(cell ?? "").not.toMatch(/^[=+\-@\t\r]/);

    const report = await verifyExportFile(path);
    expect(report.problems).toEqual([]);
    expect(report).toMatchObject({ ok: true, rows: 2 });
    expect(report.manifest?.spreadsheetSafe).toBe(true);

    // Without the manifest's word that it is spreadsheet-safe, the prefixed cells no longer give the hashes.
    const manifestPath = `${path}.manifest.json`;
    const { readFileSync } = await import("node:fs");
    const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as Record<string, unknown>;
    delete manifest.spreadsheetSafe;
    writeFileSync(manifestPath, JSON.stringify(manifest));
    expect((await verifyExportFile(path)).problems.map((p) => p.kind)).toEqual(["hash", "hash"]);
  });

  it("spreadsheetSafe is refused for NDJSON and for values other than 1 or 0", () => {
    const schema = exportQuerySchema(purposeKeys);
    const ndjson = schema.safeParse({ format: "ndjson", spreadsheetSafe: "1" });
    expect(ndjson.success).toBe(false);
    expect(ndjson.error?.issues[0]).toMatchObject({ path: ["spreadsheetSafe"] });
    expect(schema.safeParse({ format: "csv", spreadsheetSafe: "yes" }).success).toBe(false);
  });
});
