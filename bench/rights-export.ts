// "Download my data" for a subject with 100,000 consent events (issue 11):
// server memory growth and time to the first byte of the streamed archive
// (every event with its signed receipt), against a same-run baseline that
// reads the same events into memory and sends one JSON document.
//
//   npx tsx --conditions=react-server bench/rights-export.ts [--events 100000] [--port 4161]
//
// The server is bench/rights-export-server.ts in its own process: the same
// service (lib/data-export/stream.ts) the route /api/v1/me/data returns,
// behind a bare node:http server instead of Next. Memory: VmRSS of that
// process sampled every 20 ms while the client reads, minus VmRSS before.
// Targets: growth ≤ 50 MB, first byte < 200 ms.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import pg from "pg";
import { createTestDatabase } from "../tests/helpers/test-database";
import { seed } from "../prisma/seed";
import { writeSyntheticLedger } from "../lib/ledger/testing/synthetic-ledger";

const args = process.argv.slice(2);
const option = (name: string) => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? args[at + 1] : undefined;
};
const EVENTS = Number(option("events") ?? 100_000);
const PORT = Number(option("port") ?? 4161);
const MB = 1024 * 1024;

const rssKb = (pid: number) =>
  Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0);

async function measure(pid: number, url: string) {
  const before = rssKb(pid);
  let peak = before;
  const timer = setInterval(() => (peak = Math.max(peak, rssKb(pid))), 20);
  const started = performance.now();
  const response = await fetch(url);
  const reader = response.body!.getReader();
  let firstByteMs = 0;
  let bytes = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (!bytes) firstByteMs = performance.now() - started;
    bytes += value.byteLength;
  }
  const totalMs = performance.now() - started;
  clearInterval(timer);
  peak = Math.max(peak, rssKb(pid));
  return { status: response.status, firstByteMs, totalMs, mb: bytes / MB, growthMb: (peak - before) / 1024 };
}

const database = await createTestDatabase();
const db = new pg.Pool({ connectionString: database.url, max: 2 });
let server: ReturnType<typeof spawn> | undefined;
try {
  await seed(database.url, { demoAccounts: false });
  const seeded = performance.now();
  const [subjectId] = await writeSyntheticLedger(db, { subjects: 1, events: EVENTS, batchSize: 10_000 });
  const [warmId] = await writeSyntheticLedger(db, { subjects: 1, events: 10 });
  await db.query("VACUUM ANALYZE consent_events");
  console.log(
    `seeded ${EVENTS.toLocaleString("en")} events of one subject in ${((performance.now() - seeded) / 1000).toFixed(0)} s`,
  );
  server = spawn(
    process.execPath,
    ["--import", "tsx", "--conditions=react-server", "bench/rights-export-server.ts"],
    {
      // MALLOC_ARENA_MAX as `npm start` sets it (scripts/start.mjs).
      env: {
        MALLOC_ARENA_MAX: "2",
        ...process.env,
        DATABASE_URL: database.url,
        BENCH_PORT: String(PORT),
        NODE_ENV: "production",
      },
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  await new Promise<void>((resolve, reject) => {
    server!.stdout!.on("data", (chunk: Buffer) => chunk.toString().includes("listening") && resolve());
    server!.once("exit", () => reject(new Error("server exited")));
  });
  const pid = server.pid!;
  const base = `http://127.0.0.1:${PORT}`;
  await measure(pid, `${base}/stream/${warmId}`); // warm-up (a small subject): modules, pool, key
  const load = readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");
  const stream = await measure(pid, `${base}/stream/${subjectId}`);
  const buffered = await measure(pid, `${base}/buffered/${subjectId}`);
  const row = (name: string, r: typeof stream) =>
    `${name.padEnd(34)} HTTP ${r.status}  first byte ${r.firstByteMs.toFixed(0).padStart(6)} ms  total ${(r.totalMs / 1000).toFixed(1).padStart(6)} s  ${r.mb.toFixed(0).padStart(5)} MB sent  RSS growth ${r.growthMb.toFixed(1).padStart(6)} MB`;
  console.log(`load average ${load}`);
  console.log(row("streamed archive with receipts", stream));
  console.log(row("baseline: events buffered, no receipts", buffered));
  console.log(
    `streamed growth / buffered growth: ${(stream.growthMb / Math.max(buffered.growthMb, 0.1)).toFixed(2)}; ` +
      `targets: growth ≤ 50 MB (${stream.growthMb <= 50 ? "met" : "MISSED"}), first byte < 200 ms (${stream.firstByteMs < 200 ? "met" : "MISSED"})`,
  );
} finally {
  server?.kill();
  await db.end();
  await database.drop();
}
