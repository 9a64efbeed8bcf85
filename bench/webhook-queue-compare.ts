// Should the mail outbox and the webhook outbox move onto a Postgres job
// library? Measures enqueue throughput, drain throughput and enqueue→handler
// latency of our own outbox pattern against pg-boss and graphile-worker, on
// PostgreSQL and on the embedded PGlite (docs/decisions/job-queue.md).
//
// The libraries are not dependencies of Accord; install them beside the repo:
//   (mkdir -p /tmp/jq && cd /tmp/jq && npm i pg-boss@10.4.2 graphile-worker@0.16.6 pg@8.23.1)
//   JQ_MODULES=/tmp/jq/node_modules npx tsx --conditions=react-server bench/webhook-queue-compare.ts [--jobs 2000] [--port 4157] [--only pg-boss]
//
// Same run, same machine: each candidate gets a fresh database (or a fresh
// PGlite folder). Jobs are enqueued one per statement by 10 concurrent
// producers (as requests would), then drained by 10 concurrent handlers that
// do nothing (the queue's own cost). Latency: 100 jobs enqueued at 20/s with a
// worker already waiting.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createRequire } from "node:module";
import pg from "pg";
import { createTestDatabase } from "../tests/helpers/test-database";
import { startEmbeddedPostgres } from "../lib/db/embedded-postgres";

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? Number(args[at + 1]) : fallback;
};
const JOBS = option("jobs", 2000);
const PGLITE_PORT = option("port", 4157);
const PRODUCERS = 10;
const modules = process.env.JQ_MODULES;
if (!modules) throw new Error("set JQ_MODULES to a node_modules folder holding pg-boss and graphile-worker");
const requireFrom = createRequire(path.join(modules, "noop.js"));

interface Figures {
  enqueuePerS: number;
  drainPerS: number;
  p50: number;
  p99: number;
}
type Outcome = Figures | { error: string };

interface Queue {
  enqueue(i: number): Promise<void>;
  /** Starts handling; calls `done(i)` per job. */
  work(done: (i: number) => void): Promise<void>;
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;

async function measure(make: () => Promise<Queue>): Promise<Outcome> {
  try {
    const q = await make();
    // Throughput: enqueue everything, then drain it.
    let next = 0;
    let started = performance.now();
    await Promise.all(
      Array.from({ length: PRODUCERS }, async () => {
        while (next < JOBS) await q.enqueue(next++);
      }),
    );
    const enqueuePerS = JOBS / ((performance.now() - started) / 1000);
    let handled = 0;
    const sent = new Map<number, number>();
    const latencies: number[] = [];
    started = performance.now();
    await q.work((i) => {
      handled += 1;
      const at = sent.get(i);
      if (at !== undefined) latencies.push(performance.now() - at);
    });
    const deadline = performance.now() + 120_000;
    while (handled < JOBS && performance.now() < deadline) await sleep(5);
    if (handled < JOBS) throw new Error(`drained ${handled}/${JOBS} in 120 s`);
    const drainPerS = JOBS / ((performance.now() - started) / 1000);
    // Latency: a waiting worker, 100 jobs at 20/s.
    for (let i = 0; i < 100; i += 1) {
      sent.set(JOBS + i, performance.now());
      await q.enqueue(JOBS + i);
      await sleep(50);
    }
    const until = performance.now() + 30_000;
    while (latencies.length < 100 && performance.now() < until) await sleep(5);
    await q.stop();
    const sorted = latencies.sort((a, b) => a - b);
    if (sorted.length < 100) throw new Error(`only ${sorted.length}/100 latency jobs handled`);
    return { enqueuePerS, drainPerS, p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99) };
  } catch (error) {
    return { error: (error instanceof Error ? error.message : String(error)).split("\n")[0]!.slice(0, 160) };
  }
}

/** Our pattern (lib/webhooks/dispatcher.ts, lib/notifications/worker.ts): a table, SKIP LOCKED claims, NOTIFY. */
async function outbox(url: string): Promise<Queue> {
  const pool = new pg.Pool({ connectionString: url, max: PRODUCERS + 2 });
  await pool.query(`CREATE TABLE bench_outbox (id bigserial PRIMARY KEY, job int NOT NULL,
    status text NOT NULL DEFAULT 'PENDING', attempts int NOT NULL DEFAULT 0, locked_at timestamptz,
    next_attempt_at timestamptz NOT NULL DEFAULT now())`);
  await pool.query(`CREATE INDEX ON bench_outbox (status, next_attempt_at)`);
  let running = false;
  let listener: pg.Client | null = null;
  let wake: (() => void) | null = null;
  return {
    async enqueue(i) {
      await pool.query(
        `WITH x AS (INSERT INTO bench_outbox (job) VALUES ($1)) SELECT pg_notify('bench_outbox', '')`,
        [i],
      );
    },
    async work(done) {
      running = true;
      listener = new pg.Client({ connectionString: url });
      await listener.connect();
      listener.on("notification", () => wake?.());
      await listener.query("LISTEN bench_outbox");
      const loop = async () => {
        while (running) {
          const { rows } = await pool.query<{ id: string; job: number }>(
            `WITH due AS (SELECT id FROM bench_outbox WHERE status = 'PENDING' AND next_attempt_at <= now()
               ORDER BY id LIMIT 50 FOR UPDATE SKIP LOCKED)
             UPDATE bench_outbox b SET status = 'SENDING', locked_at = now(), attempts = b.attempts + 1
             FROM due WHERE b.id = due.id RETURNING b.id::text, b.job`,
          );
          if (rows.length === 0) {
            await new Promise<void>((resolve) => {
              wake = resolve;
              setTimeout(resolve, 1000);
            });
            continue;
          }
          await Promise.all(
            rows.map(async (row) => {
              done(row.job);
              await pool.query(`UPDATE bench_outbox SET status = 'DONE', locked_at = NULL WHERE id = $1`, [
                row.id,
              ]);
            }),
          );
        }
      };
      void loop();
    },
    async stop() {
      running = false;
      wake?.();
      await sleep(50);
      await listener?.end();
      await pool.end();
    },
  };
}

// The few calls used, typed here: the libraries are not installed in the repo.
interface PgBossLike {
  on(event: "error", listener: (error: unknown) => void): void;
  start(): Promise<unknown>;
  createQueue(name: string): Promise<void>;
  send(name: string, data: object): Promise<unknown>;
  work(
    name: string,
    options: object,
    handler: (jobs: { data: { i: number } }[]) => Promise<void>,
  ): Promise<unknown>;
  stop(options: object): Promise<void>;
}
interface GraphileWorkerLike {
  makeWorkerUtils(o: { pgPool: pg.Pool }): Promise<{
    migrate(): Promise<void>;
    addJob(task: string, payload: object): Promise<unknown>;
    release(): Promise<void>;
  }>;
  run(o: object): Promise<{ stop(): Promise<void> }>;
  Logger: new (factory: () => () => void) => unknown;
}

async function pgBoss(url: string): Promise<Queue> {
  type PgBossClass = new (o: object) => PgBossLike;
  const loaded = requireFrom("pg-boss") as PgBossClass | { default: PgBossClass };
  const PgBoss = "default" in loaded ? loaded.default : loaded;
  const boss = new PgBoss({ connectionString: url, max: PRODUCERS + 2, supervise: false, schedule: false });
  boss.on("error", () => {});
  await boss.start();
  await boss.createQueue("bench");
  return {
    async enqueue(i) {
      await boss.send("bench", { i });
    },
    async work(done) {
      await boss.work(
        "bench",
        { batchSize: 50, pollingIntervalSeconds: 0.5 },
        async (jobs: { data: { i: number } }[]) => {
          for (const job of jobs) done(job.data.i);
        },
      );
    },
    async stop() {
      await boss.stop({ graceful: false, wait: true });
    },
  };
}

async function graphileWorker(url: string): Promise<Queue> {
  const gw = requireFrom("graphile-worker") as GraphileWorkerLike;
  const pool = new pg.Pool({ connectionString: url, max: PRODUCERS + 2 });
  const utils = await gw.makeWorkerUtils({ pgPool: pool });
  await utils.migrate();
  let runner: { stop(): Promise<void> } | null = null;
  let handle: (i: number) => void = () => {};
  return {
    async enqueue(i) {
      await utils.addJob("bench", { i });
    },
    async work(done) {
      handle = done;
      runner = await gw.run({
        pgPool: pool,
        concurrency: PRODUCERS,
        noHandleSignals: true,
        pollInterval: 500,
        logger: new gw.Logger(() => () => {}),
        taskList: { bench: async (payload: unknown) => handle((payload as { i: number }).i) },
      });
    },
    async stop() {
      await runner?.stop();
      await utils.release();
      await pool.end();
    },
  };
}

const candidates = { outbox, "pg-boss 10.4.2": pgBoss, "graphile-worker 0.16.6": graphileWorker } as const;
const results: { db: string; name: string; outcome: Outcome }[] = [];

const only = args.includes("--only") ? args[args.indexOf("--only") + 1] : undefined;
for (const [name, make] of Object.entries(candidates)) {
  if (only && !name.startsWith(only)) continue;
  const database = await createTestDatabase();
  results.push({ db: "PostgreSQL 15", name, outcome: await measure(() => make(database.url)) });
  await database.drop();

  const dir = mkdtempSync(path.join(tmpdir(), "accord-jq-"));
  const embedded = await startEmbeddedPostgres({
    dataDir: dir,
    port: PGLITE_PORT,
    maxConnections: 32,
    purpose: "bench",
  });
  const outcome = await Promise.race([
    measure(() => make(embedded.url)),
    sleep(180_000).then((): Outcome => ({ error: "no result in 180 s" })),
  ]);
  results.push({ db: "PGlite 0.5.14", name, outcome });
  await embedded.stop().catch(() => {});
  rmSync(dir, { recursive: true, force: true });
}

const { loadavg } = await import("node:os");
console.log(
  `\n${JOBS} jobs, ${PRODUCERS} producers / handlers; load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(" ")}`,
);
console.log("| database | queue | enqueue jobs/s | drain jobs/s | latency p50 | latency p99 |");
console.log("| --- | --- | --- | --- | --- | --- |");
for (const { db, name, outcome } of results) {
  if ("error" in outcome) console.log(`| ${db} | ${name} | failed: ${outcome.error} | | | |`);
  else
    console.log(
      `| ${db} | ${name} | ${outcome.enqueuePerS.toFixed(0)} | ${outcome.drainPerS.toFixed(0)} | ${outcome.p50.toFixed(1)} ms | ${outcome.p99.toFixed(1)} ms |`,
    );
}
process.exit(0);
