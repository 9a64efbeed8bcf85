// An export streamed from a real ledger, then checked offline by the verifier
// and by the `npm run verify` CLI: intact files pass, a changed byte names its
// event, a dropped event is noticed. Runs on a database of its own so its
// checkpoints cover every transaction (nothing else writes there).
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/tests/helpers/test-database";
import { seed } from "@/prisma/seed";
import {
  sequenceAsFormat1,
  writeCheckpoints,
  writeSyntheticLedger,
} from "@/lib/ledger/testing/synthetic-ledger";
import { endPool } from "@/tests/helpers/end-pool";
import { exportQuerySchema } from "@/lib/audit/filters";
import { verifyExportFile } from "@/lib/ledger/export/verify-export-file";
import { ndjsonEventLine, type ExportedEvent } from "@/lib/ledger/export/export-format";
import type { Actor } from "@/lib/auth/actor";

let database: TestDatabase;
let db: pg.Pool;
let dir: string;
let auditor: Actor;
let exports: typeof import("@/lib/audit/export/export-stream");
let manifests: typeof import("@/lib/audit/export/manifests");
let purposeKeys: string[];

beforeAll(async () => {
  database = await createTestDatabase();
  await seed(database.url, { demoAccounts: false });
  // The services read DATABASE_URL when first imported: point them at this database.
  process.env.DATABASE_URL = database.runtimeUrl;
  delete (globalThis as { accordPool?: unknown }).accordPool;
  delete (globalThis as { accordPrisma?: unknown }).accordPrisma;
  exports = await import("@/lib/audit/export/export-stream");
  manifests = await import("@/lib/audit/export/manifests");
  db = new pg.Pool({ connectionString: database.url, max: 2 });
  // Five batches (transactions), each under a checkpoint of its own.
  await writeSyntheticLedger(db, { subjects: 400, events: 9_950, batchSize: 1_990 });
  expect(await writeCheckpoints(db)).toBe(5);
  // They become the log's first leaves, as the migration to format 2 did; the export's sequencer run signs them.
  expect(await sequenceAsFormat1(db)).toBe(9_950);
  // Written after the checkpoints: rows that no checkpoint covers yet.
  await writeSyntheticLedger(db, { subjects: 5, events: 50, start: new Date(Date.UTC(2025, 5, 1)) });
  const id = randomUUID();
  await db.query(`INSERT INTO users (id, email, password_hash, role) VALUES ($1, $2, 'x', 'AUDITOR')`, [
    id,
    `auditor-${id}@int.accord.test`,
  ]);
  auditor = { id, email: `auditor-${id}@int.accord.test`, role: "AUDITOR" };
  purposeKeys = (await db.query<{ key: string }>(`SELECT DISTINCT key FROM purposes`)).rows.map((r) => r.key);
  dir = mkdtempSync(join(tmpdir(), "accord-export-"));
}, 180_000);

afterAll(async () => {
  const { pool } = await import("@/lib/db");
  await endPool(pool);
  if (db) await endPool(db);
  await database?.drop();
});

async function exportTo(name: string, input: Record<string, string>) {
  const query = exportQuerySchema(purposeKeys).parse(input);
  const started = await exports.startExport({
    query,
    actor: auditor,
    meta: { ipTruncated: "127.0.0.0", userAgent: "vitest" },
  });
  if (!started.ok) throw new Error(started.message);
  const path = join(dir, name);
  writeFileSync(path, Buffer.from(await new Response(started.data.body).arrayBuffer()));
  return { path, exportId: started.data.exportId };
}

/** Rewrites the file with one event line changed by `edit` (null drops it). */
function tamper(
  path: string,
  to: string,
  pick: (lines: string[]) => number,
  edit: (line: string) => string | null,
) {
  const lines = readFileSync(path, "utf8").split("\n");
  const index = pick(lines);
  const original = lines[index] as string;
  const edited = edit(original);
  const out =
    edited === null ? lines.filter((_, i) => i !== index) : lines.map((l, i) => (i === index ? edited : l));
  writeFileSync(to, out.join("\n"));
  return original;
}

function cli(file: string, ...args: string[]) {
  // No DATABASE_URL: the verifier must not need our database.
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: "test" };
  return spawnSync("npx", ["tsx", "scripts/verify-export.ts", file, ...args], { encoding: "utf8", env });
}

describe("exports verify offline", () => {
  it("an NDJSON export of 10,000 events verifies, in code and with npm run verify", async () => {
    const { path, exportId } = await exportTo("all.ndjson", { format: "ndjson" });
    const report = await verifyExportFile(path);
    expect(report.problems).toEqual([]);
    expect(report).toMatchObject({
      ok: true,
      rows: 10_000,
      linksChecked: 10_000,
      linksNotCheckable: 0,
      uncheckpointed: 50,
    });
    expect(report.checkpointsVerified).toBe(5);
    // Format 2: the signed checkpoint's root recomputed from the file's leaves.
    expect(report.log).toEqual({
      treeSize: 9_950,
      keyPinned: false,
      rootRecomputed: true,
      inCheckpoint: 9_950,
      since: null,
    });
    expect(report.manifest).toMatchObject({
      exportId,
      rowCount: 10_000,
      filters: {},
      exportedBy: { email: auditor.email },
    });

    // PostgreSQL's row_to_json lines are byte for byte what JSON.stringify makes of the same event.
    const lines = readFileSync(path, "utf8").split("\n").slice(0, -2);
    expect(lines).toHaveLength(10_000);
    for (const line of lines) expect(ndjsonEventLine(JSON.parse(line) as ExportedEvent)).toBe(`${line}\n`);

    const run = cli(path);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^OK: /);
    expect(run.stdout).toContain("its root recomputed from the file's leaves");

    // The export is in the audit log, with its manifest.
    const manifest = await manifests.getExportManifest(exportId);
    expect(manifest?.sha256).toBe(report.fileSha256);
    const { rows } = await db.query(
      `SELECT action, actor_id FROM audit_log WHERE target_id = $1 ORDER BY id`,
      [exportId],
    );
    expect(rows).toEqual([
      { action: "audit.export.started", actor_id: auditor.id },
      { action: "audit.export.completed", actor_id: auditor.id },
    ]);
  });

  it("a later export is checked against an earlier one (--since) with the pinned log key; a fork is refused", async () => {
    const { logSigner } = await import("@/lib/ledger/log/signing-key");
    const { formatVerifierKey, signNoteText } = await import("@/lib/ledger/note");
    const { formatCheckpointText } = await import("@/lib/ledger/tlog-checkpoint");
    const first = await exportTo("first.ndjson", { format: "ndjson" });
    const earlier = join(dir, "first.manifest.json");
    writeFileSync(earlier, JSON.stringify(await manifests.getExportManifest(first.exportId)));
    const later = await exportTo("later.ndjson", { format: "ndjson" });
    const key = formatVerifierKey(logSigner());
    const ok = cli(later.path, "--since", earlier, "--log-key", key);
    expect(ok.status, ok.stdout + ok.stderr).toBe(0);
    expect(ok.stdout).toContain("verified with the log key given");
    expect(ok.stdout).toContain("the earlier checkpoint of 9950 leaves is a prefix of this one");

    // A checkpoint the log key signed for the same size with another root: a fork.
    const text = formatCheckpointText({
      origin: logSigner().name,
      size: 9_950,
      root: Buffer.alloc(32, 9),
      time: new Date(),
    });
    const forked = join(dir, "forked.checkpoint");
    writeFileSync(forked, `${text}\n${signNoteText(text, logSigner())}\n`);
    const fork = cli(later.path, "--since", forked, "--log-key", key);
    expect(fork.status).toBe(1);
    expect(fork.stdout).toContain("MISMATCH [log] --since: two different roots for size 9950: a fork");
    // A key the log never used.
    const { generateSignerKey, parseSignerKey } = await import("@/lib/ledger/note");
    const stranger = formatVerifierKey(parseSignerKey(generateSignerKey(logSigner().name)));
    const wrongKey = cli(later.path, "--log-key", stranger);
    expect(wrongKey.status).toBe(1);
    expect(wrongKey.stdout).toContain("MISMATCH [log] the manifest's checkpoint");
  });

  it("one changed byte names exactly that event", async () => {
    const { path } = await exportTo("byte.ndjson", { format: "ndjson" });
    const tampered = join(dir, "byte-tampered.ndjson");
    const original = tamper(
      path,
      tampered,
      (lines) => lines.findIndex((l, i) => i >= 4_321 && l.includes('"locale":"en"')),
      (line) => line.replace('"locale":"en"', '"locale":"em"'),
    );
    const event = JSON.parse(original) as ExportedEvent;

    const report = await verifyExportFile(tampered);
    expect(report.ok).toBe(false);
    const named = report.problems.filter((p) => p.eventId);
    expect(named.map((p) => [p.kind, p.eventId, p.seq, p.subjectId])).toEqual([
      ["hash", event.id, event.seq, event.subjectId],
    ]);
    expect(report.problems.map((p) => p.kind)).toContain("file");

    const run = cli(tampered);
    expect(run.status).toBe(1);
    expect(run.stdout).toContain(
      `MISMATCH [hash] event ${event.id} (subject ${event.subjectId}, seq ${event.seq}, line `,
    );
  });

  it("a dropped event is noticed: its chain, its checkpoint, the row count", async () => {
    const { path } = await exportTo("drop.ndjson", { format: "ndjson" });
    const dropped = join(dir, "drop-tampered.ndjson");
    // Line 3,000 is early in a subject's chain: the next event of that subject follows later.
    const original = JSON.parse(
      tamper(
        path,
        dropped,
        () => 3_000,
        () => null,
      ),
    ) as ExportedEvent;
    const report = await verifyExportFile(dropped);
    expect(report.ok).toBe(false);
    const kinds = report.problems.map((p) => p.kind);
    expect(kinds).toEqual(expect.arrayContaining(["missing", "checkpoint", "count", "file"]));
    const missing = report.problems.find((p) => p.kind === "missing");
    expect(missing).toMatchObject({ subjectId: original.subjectId, seq: original.seq });
    expect(missing?.message).toContain(`seq ${original.seq} is missing`);
  });

  it("a CSV export verifies with its manifest, and a changed byte names the event", async () => {
    const { path, exportId } = await exportTo("all.csv", { format: "csv" });
    const manifest = await manifests.getExportManifest(exportId);
    writeFileSync(`${path}.manifest.json`, JSON.stringify(manifest));
    const report = await verifyExportFile(path);
    expect(report.problems).toEqual([]);
    expect(report).toMatchObject({ ok: true, rows: 10_000, checkpointsVerified: 5 });
    // NULL and "" survive the round trip: both occur in the synthetic ledger.
    const text = readFileSync(path, "utf8");
    expect(text).toContain(',"",');
    expect(text.split("\n")[0]).toBe(
      "id,subjectId,seq,action,versionId,versionNumber,purposeKey,noticeSha256,method,recordedAt,ipTruncated,userAgent,locale,idempotencyKey,prevHash,hash,position,txid,prunedAt,leafIndex",
    );

    const tampered = join(dir, "tampered.csv");
    writeFileSync(`${tampered}.manifest.json`, JSON.stringify(manifest));
    const original = tamper(
      path,
      tampered,
      (lines) => lines.findIndex((l, i) => i >= 777 && l.includes(",en,")),
      (line) => line.replace(",en,", ",em,"),
    );
    const id = original.split(",")[0];
    const after = await verifyExportFile(tampered);
    expect(after.problems.filter((p) => p.eventId).map((p) => [p.kind, p.eventId])).toEqual([["hash", id]]);
  });

  it("a slow reader still gets every row and the manifest (backpressure pauses, then resumes, the copy)", async () => {
    const query = exportQuerySchema(purposeKeys).parse({ format: "csv" });
    const started = await exports.startExport({ query, actor: auditor, meta: null });
    if (!started.ok) throw new Error(started.message);
    const reader = started.data.body.getReader();
    const chunks: Uint8Array[] = [];
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      chunks.push(value);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const path = join(dir, "slow.csv");
    writeFileSync(path, Buffer.concat(chunks));
    writeFileSync(
      `${path}.manifest.json`,
      JSON.stringify(await manifests.getExportManifest(started.data.exportId)),
    );
    const report = await verifyExportFile(path);
    expect(report.problems).toEqual([]);
    expect(report.rows).toBe(10_000);
  });

  it("a filtered export verifies and says how many links it could not check", async () => {
    const { path } = await exportTo("surveys.ndjson", {
      format: "ndjson",
      purpose: "surveys",
      method: "WEB",
    });
    const report = await verifyExportFile(path);
    expect(report.problems).toEqual([]);
    const { rows } = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM consent_events WHERE purpose_key = 'surveys' AND method = 'WEB'`,
    );
    expect(report.rows).toBe(rows[0]?.n);
    expect(report.rows).toBeGreaterThan(100);
    expect(report.linksNotCheckable).toBeGreaterThan(0);
    expect(report.checkpointsNotCheckable).toBeGreaterThan(0);
    expect(report.manifest?.filters).toEqual({ purpose: "surveys", method: "WEB" });
  });

  it("a cancelled download is logged as aborted and frees its connection", async () => {
    const query = exportQuerySchema(purposeKeys).parse({ format: "csv" });
    const started = await exports.startExport({ query, actor: auditor, meta: null });
    if (!started.ok) throw new Error(started.message);
    const reader = started.data.body.getReader();
    await reader.read();
    await reader.cancel();
    const { rows } = await db.query(`SELECT action FROM audit_log WHERE target_id = $1 ORDER BY id`, [
      started.data.exportId,
    ]);
    expect(rows.map((r) => r.action)).toEqual(["audit.export.started", "audit.export.aborted"]);
    const { pool } = await import("@/lib/db");
    expect(pool.totalCount - pool.idleCount).toBe(0);
  });

  it("an export id cannot be reused", async () => {
    const exportId = randomUUID();
    await exportTo("first.ndjson", { format: "ndjson", exportId, user: auditor.email });
    const query = exportQuerySchema(purposeKeys).parse({ format: "ndjson", exportId });
    const again = await exports.startExport({ query, actor: auditor, meta: null });
    expect(again).toMatchObject({ ok: false, status: 409 });
  });
});
