// CSV export of 1,000,000 consent events (issue 5), against the built app on a
// fresh database, compared with psql's \copy of the same rows in the same run.
//
//   npx tsx --conditions=react-server bench/export-csv.ts [--events 1000000] [--dist .next-dir] [--runs 2]
//
// 1. Creates a database and writes N valid hash-chained events (50 per
//    subject) in batches, then one checkpoint over them.
// 2. Serves the app (the custom server, scripts/http-server.ts; built into --dist unless it exists).
// 3. Alternates, --runs times each: GET /api/v1/audit/exports?format=csv as
//    an auditor, saved to a file by curl; psql \copy (SELECT same columns, same
//    order) TO a file. Prints each time, the ratio of the best times (target
//    ≤ 2×), the time to the first byte, and the server's memory: VmRSS
//    sampled every 50 ms and VmHWM (reset before each export), summed over
//    the server's process tree, minus VmRSS before the export (target ≤ 100 MB).
// 4. Checks that both files hold N rows and are byte for byte the same.
// 5. For reference: the same export as NDJSON, then `npm run verify` (its own
//    process, no database) over the NDJSON file and over the CSV file with its
//    manifest: time and peak RSS.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createHash, randomBytes, randomUUID } from "node:crypto";
import {
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import pg from "pg";
import { encode } from "next-auth/jwt";
import { createTestDatabase } from "../tests/helpers/test-database";
import { seed } from "../prisma/seed";
import { spawnAppServer } from "../scripts/lib/spawn-app-server";
import { writeCheckpoints, writeSyntheticLedger } from "../lib/ledger/testing/synthetic-ledger";
import { EVENT_COLUMNS_SQL } from "../lib/ledger/export/export-format";
import type { VerifyReport } from "../lib/ledger/export/export-verifier";

const args = process.argv.slice(2);
const option = (name: string) => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? args[at + 1] : undefined;
};
const EVENTS = Number(option("events") ?? 1_000_000);
const RUNS = Number(option("runs") ?? 2);
const PORT = Number(option("port") ?? 3196);
const BASE = `http://127.0.0.1:${PORT}`;
const distDir = option("dist") ?? ".next-bench-export";
const secret = randomBytes(32).toString("hex");
const outDir = ".data/bench-export";
const MB = 1024 * 1024;

/** The server's process and its descendants. */
function processTree(pid: number): number[] {
  const pids = [pid];
  try {
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      const children = readFileSync(`/proc/${pid}/task/${task}/children`, "utf8").trim();
      for (const child of children ? children.split(/\s+/) : []) pids.push(...processTree(Number(child)));
    }
  } catch {
    // the process ended
  }
  return pids;
}

function memoryKb(pid: number, field: "VmRSS" | "VmHWM"): number {
  let total = 0;
  for (const p of processTree(pid)) {
    try {
      const match = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${p}/status`, "utf8"));
      total += Number(match?.[1] ?? 0);
    } catch {
      // gone
    }
  }
  return total;
}

/** Resets VmHWM to the current RSS (Linux clear_refs, as root). */
function resetPeak(pid: number) {
  for (const p of processTree(pid)) {
    try {
      writeFileSync(`/proc/${p}/clear_refs`, "5");
    } catch {
      // not permitted: VmHWM then covers the whole life of the process
    }
  }
}

async function waitForServer(server: ChildProcess) {
  for (let i = 0; i < 120; i++) {
    if (server.exitCode !== null)
      throw new Error("the app exited while starting; see .data/bench-export-server.log");
    try {
      if ((await fetch(`${BASE}/agreement`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error("the app did not start within 60 s");
}

interface RouteRun {
  seconds: number;
  firstByteMs: number;
  bytes: number;
  rssBeforeMb: number;
  sampledPeakGrowthMb: number;
  hwmGrowthMb: number;
}

/** curl, like psql, is a C client writing to a file: the comparison measures the servers, not the clients. */
async function exportThroughRoute(
  server: ChildProcess,
  cookie: string,
  file: string,
  format = "csv",
): Promise<RouteRun> {
  const pid = server.pid as number;
  resetPeak(pid);
  const rssBefore = memoryKb(pid, "VmRSS");
  let peak = rssBefore;
  const sampler = setInterval(() => {
    peak = Math.max(peak, memoryKb(pid, "VmRSS"));
  }, 50);
  const curl = spawn(
    "curl",
    [
      "-sS",
      "--fail",
      "-o",
      file,
      "-H",
      `cookie: ${cookie}`,
      "-w",
      "%{time_starttransfer} %{time_total} %{size_download}",
      `${BASE}/api/v1/audit/exports?format=${format}`,
    ],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  let out = "";
  curl.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
  const code = await new Promise<number>((resolve) => curl.on("exit", (c) => resolve(c ?? 1)));
  clearInterval(sampler);
  if (code !== 0) throw new Error(`curl failed with exit code ${code}`);
  peak = Math.max(peak, memoryKb(pid, "VmRSS"));
  const hwm = memoryKb(pid, "VmHWM");
  const [firstByte = "0", total = "0", size = "0"] = out.trim().split(" ");
  return {
    seconds: Number(total),
    firstByteMs: Number(firstByte) * 1000,
    bytes: Number(size),
    rssBeforeMb: rssBefore / 1024,
    sampledPeakGrowthMb: (peak - rssBefore) / 1024,
    hwmGrowthMb: (hwm - rssBefore) / 1024,
  };
}

/**
 * `npm run verify` over a file, as its own process (what an auditor runs),
 * without DATABASE_URL: its time, exit status, report and peak RSS (VmHWM).
 */
async function verifyWithCli(file: string) {
  const env = { ...process.env };
  delete env.DATABASE_URL;
  const started = performance.now();
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/verify-export.ts", file, "--json"], {
    env,
    stdio: ["ignore", "pipe", "inherit"],
  });
  let peakKb = 0;
  const sampler = setInterval(() => {
    peakKb = Math.max(peakKb, memoryKb(child.pid as number, "VmHWM"));
  }, 50);
  let out = "";
  child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
  const code = await new Promise<number>((resolve) => child.on("close", (c) => resolve(c ?? 1)));
  clearInterval(sampler);
  const report = JSON.parse(out) as Omit<VerifyReport, "manifest">;
  return { code, report, seconds: (performance.now() - started) / 1000, peakMb: peakKb / 1024 };
}

function describeVerify(label: string, run: Awaited<ReturnType<typeof verifyWithCli>>): string {
  const { report } = run;
  return (
    `npm run verify on the ${label}: ${run.code === 0 ? "OK" : `FAILED (exit ${run.code}, ${report.problems.length} problems)`}, ` +
    `${report.rows.toLocaleString("en")} events, ${report.linksChecked.toLocaleString("en")} links, ` +
    `${report.checkpointsVerified} checkpoint roots, ${run.seconds.toFixed(1)} s, peak RSS ${run.peakMb.toFixed(0)} MB`
  );
}

function exportThroughPsql(url: string, file: string): number {
  const sql = `\\copy (SELECT ${EVENT_COLUMNS_SQL} FROM consent_events e ORDER BY e.position) TO '${file}' WITH (FORMAT csv, HEADER)`;
  const started = performance.now();
  const result = spawnSync("psql", [url, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-c", sql], {
    stdio: ["ignore", "ignore", "inherit"],
  });
  if (result.status !== 0) throw new Error("psql \\copy failed");
  return (performance.now() - started) / 1000;
}

function fileSha256(file: string): string {
  return createHash("sha256").update(readFileSync(file)).digest("hex");
}

function lineCount(file: string): number {
  const text = readFileSync(file);
  let n = 0;
  for (let i = text.indexOf(10); i !== -1; i = text.indexOf(10, i + 1)) n++;
  return n;
}

const database = await createTestDatabase();
let server: ChildProcess | undefined;
try {
  await seed(database.url, { demoAccounts: false });
  mkdirSync(outDir, { recursive: true });
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    DATABASE_URL: database.url,
    DATABASE_POOL_SIZE: "10",
    NEXTAUTH_SECRET: secret,
    NEXTAUTH_URL: BASE,
    APP_URL: BASE,
    NEXT_DIST_DIR: distDir,
    NEXT_TELEMETRY_DISABLED: "1",
  };
  if (!existsSync(`${distDir}/BUILD_ID`)) {
    console.log(`Building the app into ${distDir}…`);
    const build = spawnSync("npx", ["next", "build"], { env, stdio: ["ignore", "ignore", "inherit"] });
    if (build.status !== 0) throw new Error("next build failed");
  }

  const db = new pg.Pool({ connectionString: database.url, max: 2 });
  const seedStarted = performance.now();
  await writeSyntheticLedger(db, {
    subjects: Math.max(1, Math.round(EVENTS / 50)),
    events: EVENTS,
    batchSize: 10_000,
    onProgress: (n) => {
      if (n % 100_000 === 0 || n === EVENTS)
        process.stdout.write(`\r  seeded ${n.toLocaleString("en")} events`);
    },
  });
  const checkpoints = await writeCheckpoints(db);
  await db.query("VACUUM ANALYZE consent_events");
  console.log(
    `\n  seeding took ${((performance.now() - seedStarted) / 1000).toFixed(0)} s; ${checkpoints} checkpoints`,
  );

  const auditorId = randomUUID();
  await db.query(`INSERT INTO users (id, email, password_hash, role) VALUES ($1, $2, 'x', 'AUDITOR')`, [
    auditorId,
    `bench-auditor-${auditorId}@bench.accord.test`,
  ]);
  await db.end();
  const cookie = `next-auth.session-token=${await encode({ token: { sub: auditorId, sv: 0, authAt: Math.floor(Date.now() / 1000) }, secret })}`;

  const log = openSync(".data/bench-export-server.log", "w");
  server = spawnAppServer({ env, port: PORT, stdio: ["ignore", log, log] });
  await waitForServer(server);
  // Warm the route (compilation, pool) with a small export.
  const warm = await fetch(
    `${BASE}/api/v1/audit/exports?format=csv&purpose=surveys&from=2025-01-01&to=2025-01-01`,
    { headers: { cookie } },
  );
  await warm.arrayBuffer();

  const routeRuns: RouteRun[] = [];
  const psqlRuns: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    psqlRuns.push(exportThroughPsql(database.url, `${process.cwd()}/${outDir}/psql.csv`));
    routeRuns.push(await exportThroughRoute(server, cookie, `${outDir}/route.csv`));
  }

  const rows = { route: lineCount(`${outDir}/route.csv`) - 1, psql: lineCount(`${outDir}/psql.csv`) - 1 };
  const identical = fileSha256(`${outDir}/route.csv`) === fileSha256(`${outDir}/psql.csv`);
  const bestRoute = Math.min(...routeRuns.map((r) => r.seconds));
  const bestPsql = Math.min(...psqlRuns);
  const ratio = bestRoute / bestPsql;
  const growth = Math.max(...routeRuns.map((r) => Math.max(r.sampledPeakGrowthMb, r.hwmGrowthMb)));

  console.log(
    `\nCSV export of ${EVENTS.toLocaleString("en")} events, ${RUNS} runs each, 2 cores shared with the client and Postgres\n`,
  );
  for (const [i, r] of routeRuns.entries()) {
    console.log(
      `run ${i + 1}: psql \\copy ${psqlRuns[i]?.toFixed(2)} s | route ${r.seconds.toFixed(2)} s, first byte ${r.firstByteMs.toFixed(0)} ms, ` +
        `${(r.bytes / MB).toFixed(0)} MB, RSS ${r.rssBeforeMb.toFixed(0)} MB before, +${r.sampledPeakGrowthMb.toFixed(1)} MB sampled peak, +${r.hwmGrowthMb.toFixed(1)} MB VmHWM`,
    );
  }
  console.log(
    `\nrows: route ${rows.route.toLocaleString("en")}, psql ${rows.psql.toLocaleString("en")}; sizes: route ${(statSync(`${outDir}/route.csv`).size / MB).toFixed(1)} MB, psql ${(statSync(`${outDir}/psql.csv`).size / MB).toFixed(1)} MB`,
  );
  console.log(`the two files are ${identical ? "byte for byte identical" : "DIFFERENT"}`);
  console.log(
    `route / psql \\copy (best of ${RUNS}): ${bestRoute.toFixed(2)} s / ${bestPsql.toFixed(2)} s = ${ratio.toFixed(2)}× (target ≤ 2×) ${ratio <= 2 ? "PASS" : "FAIL"}`,
  );
  console.log(
    `server peak memory growth: ${growth.toFixed(1)} MB (target ≤ 100 MB) ${growth <= 100 ? "PASS" : "FAIL"}`,
  );
  // For reference (no target): the same rows as NDJSON, which the app serialises row by row.
  const ndjson = await exportThroughRoute(server, cookie, `${outDir}/route.ndjson`, "ndjson");
  console.log(
    `NDJSON through the route, for reference: ${ndjson.seconds.toFixed(2)} s, first byte ${ndjson.firstByteMs.toFixed(0)} ms, ${(ndjson.bytes / MB).toFixed(0)} MB, +${Math.max(ndjson.sampledPeakGrowthMb, ndjson.hwmGrowthMb).toFixed(1)} MB peak`,
  );
  // The offline verifier over the whole NDJSON file (every hash, link and checkpoint root).
  const ndjsonVerify = await verifyWithCli(`${outDir}/route.ndjson`);
  console.log(describeVerify("NDJSON", ndjsonVerify));
  // And over the last CSV export (read with Papa Parse), beside the manifest the server recorded.
  const manifestDb = new pg.Client({ connectionString: database.url });
  await manifestDb.connect();
  const { rows: completed } = await manifestDb.query<{ details: { fileFormat: string } }>(
    `SELECT details FROM audit_log WHERE action = 'audit.export.completed' ORDER BY id DESC LIMIT 2`,
  );
  await manifestDb.end();
  const csvManifest = completed.find((row) => row.details.fileFormat === "csv")?.details;
  writeFileSync(`${outDir}/route.csv.manifest.json`, JSON.stringify(csvManifest));
  const csvVerify = await verifyWithCli(`${outDir}/route.csv`);
  console.log(describeVerify("CSV", csvVerify));
  if (ndjsonVerify.code !== 0 || csvVerify.code !== 0) process.exitCode = 1;
  if (rows.route !== EVENTS || rows.psql !== EVENTS || !identical || ratio > 2 || growth > 100)
    process.exitCode = 1;
} finally {
  server?.kill("SIGTERM");
  await new Promise((resolve) => setTimeout(resolve, 500));
  await database.drop();
  rmSync(outDir, { recursive: true, force: true });
}
