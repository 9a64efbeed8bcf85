// The offline verifier at scale (issue 10): `npm run verify` over a
// 1,000,000-event export, NDJSON and CSV, each in its own process as an
// auditor runs it. Targets: peak RSS ≤ 200 MB; CSV time ≤ 2× NDJSON time
// (NDJSON is the same-run baseline).
//
//   npx tsx --conditions=react-server bench/export-verify.ts [--events 1000000]
//
// 1. A fresh database with N valid events (synthetic-ledger, set-based),
//    given their leaves in SQL as the migration to format 2 did, and a
//    format-1 range checkpoint per batch.
// 2. Both exports through the export service itself (startExport, the code
//    behind /api/v1/audit/exports; no HTTP, no build needed): format 2, with
//    the signed checkpoint, written to files.
// 3. `node --import tsx scripts/verify-export.ts <file>` for each, timed, with
//    VmHWM (peak RSS) read from /proc while it runs.
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { createTestDatabase } from "../tests/helpers/test-database";
import { seed } from "../prisma/seed";
import {
  sequenceAsFormat1,
  writeCheckpoints,
  writeSyntheticLedger,
} from "../lib/ledger/testing/synthetic-ledger";
import { generateSignerKey } from "../lib/ledger/note";

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? Number(args[at + 1]) : fallback;
};
const EVENTS = option("events", 1_000_000);
const MB = 1024 * 1024;

const database = await createTestDatabase();
process.env.DATABASE_URL = database.runtimeUrl;
process.env.NEXTAUTH_SECRET ??= "bench-secret-bench-secret-bench-secret-0000";
process.env.LEDGER_SIGNING_KEY = generateSignerKey("bench.accord.local/consent-log");
const owner = new pg.Pool({ connectionString: database.url, max: 4 });
const dir = mkdtempSync(join(tmpdir(), "accord-verify-bench-"));

async function verifyWithCli(file: string) {
  const started = performance.now();
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/verify-export.ts", file, "--json"], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: "production" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  let out = "";
  child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
  let hwmKb = 0;
  const sample = setInterval(() => {
    try {
      const status = readFileSync(`/proc/${child.pid}/status`, "utf8");
      hwmKb = Math.max(hwmKb, Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0));
    } catch {
      // exited
    }
  }, 20);
  const code = await new Promise<number>((resolve) => child.on("exit", (c) => resolve(c ?? -1)));
  clearInterval(sample);
  const seconds = (performance.now() - started) / 1000;
  const report = JSON.parse(out) as { ok: boolean; rows: number; problems: unknown[]; log: unknown };
  return { code, seconds, peakMb: hwmKb / 1024, report };
}

try {
  await seed(database.url, { demoAccounts: false });
  let started = Date.now();
  await writeSyntheticLedger(owner, {
    subjects: Math.max(1, Math.floor(EVENTS / 50)),
    events: EVENTS,
    onProgress: (n) => n % 200_000 === 0 && console.log(`  wrote ${n} events`),
  });
  await writeCheckpoints(owner);
  await sequenceAsFormat1(owner);
  console.log(`wrote ${EVENTS} events with leaves in ${((Date.now() - started) / 1000).toFixed(1)} s`);

  const id = randomUUID();
  await owner.query(`INSERT INTO users (id, email, password_hash, role) VALUES ($1, $2, 'x', 'AUDITOR')`, [
    id,
    `bench-${id}@accord.local`,
  ]);
  const actor = { id, email: `bench-${id}@accord.local`, role: "AUDITOR" as const };
  const { startExport } = await import("../lib/audit/export/export-stream");
  const { exportQuerySchema } = await import("../lib/audit/filters");
  const { getExportManifest } = await import("../lib/audit/export/manifests");
  const files: Record<string, string> = {};
  for (const format of ["ndjson", "csv"] as const) {
    started = Date.now();
    const exported = await startExport({ query: exportQuerySchema([]).parse({ format }), actor, meta: null });
    if (!exported.ok) throw new Error(exported.message);
    const path = join(dir, `export.${format}`);
    writeFileSync(path, Buffer.from(await new Response(exported.data.body).arrayBuffer()));
    if (format === "csv")
      writeFileSync(`${path}.manifest.json`, JSON.stringify(await getExportManifest(exported.data.exportId)));
    files[format] = path;
    console.log(
      `exported ${format}: ${(statSync(path).size / MB).toFixed(0)} MB in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
  }

  const ndjson = await verifyWithCli(files.ndjson!);
  const csv = await verifyWithCli(files.csv!);
  for (const [name, run] of [
    ["NDJSON", ndjson],
    ["CSV", csv],
  ] as const)
    console.log(
      `npm run verify, ${name}: ${run.code === 0 ? "OK" : `FAILED (exit ${run.code})`}, ${run.report.rows.toLocaleString("en")} rows in ${run.seconds.toFixed(1)} s, peak RSS ${run.peakMb.toFixed(0)} MB (target ≤ 200 MB) ${run.peakMb <= 200 ? "PASS" : "FAIL"}; log ${JSON.stringify(run.report.log)}`,
    );
  const ratio = csv.seconds / ndjson.seconds;
  console.log(`CSV / NDJSON verify time: ${ratio.toFixed(2)}× (target ≤ 2×) ${ratio <= 2 ? "PASS" : "FAIL"}`);
  if (ndjson.code !== 0 || csv.code !== 0 || ratio > 2 || Math.max(ndjson.peakMb, csv.peakMb) > 200)
    process.exitCode = 1;
} finally {
  await owner.end();
  const { pool } = await import("../lib/db");
  await pool.end();
  await database.drop();
  rmSync(dir, { recursive: true, force: true });
}
