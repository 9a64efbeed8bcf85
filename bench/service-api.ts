// The service API's hot path (issue 12), against a built app on a fresh
// database, with a bare node:http + pg server on the same database as the
// baseline, all measured in the same run.
//
//   npx tsx --conditions=react-server bench/service-api.ts [--dist .next-dir] [--duration 5] [--rounds 3]
//
// Three servers, each its own process: the app with its fast paths (as
// `npm start` serves it), the same build without them (Next.js routes: what
// GET /api/v1/me/consent cost before), and the bare server
// (bench/service-bare-server.ts). autocannon drives, 32 connections:
//   bare SELECT by key         vs  status by API key      (target ≥ 50%, p99 ≤ 25 ms)
//   batch status of 1,000 subjects, 1 connection          (target p99 ≤ 50 ms)
//   bare INSERT                vs  record by API key      (target ≥ 25%)
//   GET /api/v1/me/consent via Next  vs  via the fast path  (target ≥ 3×)
// --only status,record  runs only the variants whose target names those
// (bareSelect, status, batch, bareInsert, record, meNext, meFast);
// --cpu-prof writes a CPU profile of the app server to .data/prof/;
// --keep-database leaves the database (its URL is printed) for EXPLAIN or pgbench;
// --db-ceiling also runs pgbench (8 clients, no HTTP, no Node) on the same
// database: a bare INSERT against one call of the ledger's append function,
// what a recorded decision costs in PostgreSQL alone.
// Ports: 4141 (app), 4142 (app without fast paths), 4143 (bare).
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { existsSync, mkdirSync, openSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import autocannon from "autocannon";
import { encode } from "next-auth/jwt";
import { createTestDatabase } from "../tests/helpers/test-database";
import { seed } from "../prisma/seed";
import { generateSignerKey } from "../lib/ledger/note";

const args = process.argv.slice(2);
const option = (name: string) => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? args[at + 1] : undefined;
};
const DURATION = Number(option("duration") ?? 5);
const ROUNDS = Number(option("rounds") ?? 3);
const CLIENTS = 32;
// Connections of each server's pool, the same for the app and the bare server (--pool).
const POOL = Number(option("pool") ?? 16);
const BATCH = 1000;
const PORTS = { app: 4141, next: 4142, bare: 4143 };
const url = (server: keyof typeof PORTS) => `http://127.0.0.1:${PORTS[server]}`;
const distDir = option("dist") ?? ".next-bench-api";
const secret = randomBytes(32).toString("hex");
const only = option("only")?.split(",");
const cpuProfile = args.includes("--cpu-prof");
const keepDatabase = args.includes("--keep-database");
const dbCeiling = args.includes("--db-ceiling");

interface Run {
  name: string;
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  /** CPU per request (ms): the server answering, all PostgreSQL processes, this process (the load). */
  cpu: { server: number; postgres: number; load: number };
}

interface Target {
  server: keyof typeof PORTS;
  method: "GET" | "POST";
  /** Called for every request: its path, headers and body. */
  request: () => { path: string; headers?: Record<string, string>; body?: string };
}

interface AutocannonRequest {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string;
}
// bench/consent-autocannon.d.ts types what that bench uses; this one also
// sets each request up (path, headers, body) with autocannon's `requests`.
const drive = autocannon as unknown as (
  options: Parameters<typeof autocannon>[0] & {
    requests: { setupRequest: (request: AutocannonRequest) => AutocannonRequest }[];
  },
) => ReturnType<typeof autocannon>;

/** CPU time (ms) a process has used, from /proc (Linux). */
function cpuMs(pid: number | string): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime + stime, in USER_HZ (100)
  } catch {
    return 0; // the process has gone
  }
}

/** CPU time (ms) of each PostgreSQL process on this machine, by pid. */
function postgresCpuMs(): Map<string, number> {
  const times = new Map<string, number>();
  for (const pid of readdirSync("/proc"))
    if (/^\d+$/.test(pid)) {
      try {
        if (readFileSync(`/proc/${pid}/comm`, "utf8").trim() === "postgres") times.set(pid, cpuMs(pid));
      } catch {
        // gone meanwhile
      }
    }
  return times;
}

/** CPU the PostgreSQL processes used since `before` (processes that ended meanwhile are not counted). */
function postgresCpuSince(before: Map<string, number>): number {
  let total = 0;
  for (const [pid, ms] of postgresCpuMs()) total += ms - (before.get(pid) ?? 0);
  return total;
}

const serverPids: Partial<Record<keyof typeof PORTS, number>> = {};

async function load(name: string, target: Target, connections: number, duration: number): Promise<Run> {
  const serverPid = serverPids[target.server];
  const before = {
    server: serverPid ? cpuMs(serverPid) : 0,
    postgres: postgresCpuMs(),
    load: cpuMs(process.pid),
  };
  const result = await drive({
    url: url(target.server),
    connections,
    duration,
    requests: [
      {
        setupRequest: (request) => {
          const { path, headers, body } = target.request();
          return {
            ...request,
            method: target.method,
            path,
            headers: { ...request.headers, ...headers },
            ...(body === undefined ? {} : { body }),
          };
        },
      },
    ],
  });
  // autocannon's result has the request count; its typings (bench/consent-autocannon.d.ts) leave it out.
  const total = (result.requests as unknown as { total: number }).total;
  return {
    name,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
    cpu: {
      server: ((serverPid ? cpuMs(serverPid) : 0) - before.server) / total,
      postgres: postgresCpuSince(before.postgres) / total,
      load: (cpuMs(process.pid) - before.load) / total,
    },
  };
}

async function waitFor(server: ChildProcess, probe: string, log: string) {
  for (let i = 0; i < 240; i++) {
    if (server.exitCode !== null) throw new Error(`a server exited while starting; see ${log}`);
    try {
      await fetch(probe);
      return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`a server did not start within 120 s; see ${log}`);
}

/** pgbench's transactions per second for one script file, or NaN. */
function pgbench(databaseUrl: string, script: string): number {
  const run = spawnSync(
    "pgbench",
    ["-n", "-M", "prepared", "-c", "8", "-j", "2", "-T", String(DURATION), "-f", script, databaseUrl],
    { encoding: "utf8" },
  );
  return Number(/^tps = ([\d.]+)/m.exec(run.stdout)?.[1] ?? Number.NaN);
}

/**
 * The same bare INSERT, and one append to the ledger (accord_append_consent_event,
 * as recording a purpose decision calls it, for one of 32 subjects), each
 * driven by pgbench straight at PostgreSQL: the ceiling the database alone
 * puts on recording, whatever the server in front of it does.
 */
async function measureDbCeiling(databaseUrl: string, pool: import("pg").Pool, versionId: string) {
  await pool.query(`CREATE TABLE bench_subjects AS
    SELECT row_number() OVER (ORDER BY subject_id) AS i, subject_id FROM consent_subjects LIMIT 32`);
  const { rows } = await pool.query<{ notice: string }>(
    "SELECT notice_sha256 AS notice FROM purposes WHERE version_id = $1 AND key = 'surveys'",
    [versionId],
  );
  const signature = Buffer.alloc(64, 7).toString("base64");
  const insert = ".data/bench-service-insert.sql";
  const append = ".data/bench-service-append.sql";
  writeFileSync(insert, "INSERT INTO bench_rows (id, body) VALUES (gen_random_uuid(), 'surveys granted');\n");
  writeFileSync(
    append,
    "\\set i random(1, 32)\n" +
      "SELECT * FROM accord_append_consent_event(gen_random_uuid(), " +
      "(SELECT subject_id FROM bench_subjects WHERE i = :i), 'PURPOSE_GRANTED', " +
      `'${versionId}', 1, 'surveys', '${rows[0]?.notice}', 'APP', now(), '203.0.113.0', 'bench', 'en', ` +
      `gen_random_uuid()::text, '${signature}', '0123abcd', NULL);\n`,
  );
  const inserts: number[] = [];
  const appends: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    inserts.push(pgbench(databaseUrl, insert));
    appends.push(pgbench(databaseUrl, append));
  }
  const mid = (list: number[]) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)] ?? Number.NaN;
  console.log(
    `\nPostgreSQL alone (pgbench, 8 clients, median of ${ROUNDS} interleaved runs of ${DURATION} s):\n` +
      `  bare INSERT ${mid(inserts).toFixed(0)} tx/s; ledger append ${mid(appends).toFixed(0)} tx/s; ` +
      `append / INSERT ${((100 * mid(appends)) / mid(inserts)).toFixed(0)}%`,
  );
}

const database = await createTestDatabase();
const servers: ChildProcess[] = [];
try {
  // Every server runs with MALLOC_ARENA_MAX as `npm start` sets it (scripts/start.mjs),
  // the bare one included, so the baseline gets the same allocator.
  const env: NodeJS.ProcessEnv = {
    MALLOC_ARENA_MAX: "2",
    ...process.env,
    NODE_ENV: "production",
    DATABASE_URL: database.url,
    DATABASE_POOL_SIZE: String(POOL),
    NEXTAUTH_SECRET: secret,
    LEDGER_SIGNING_KEY: process.env.LEDGER_SIGNING_KEY ?? generateSignerKey("bench.accord.test/consent-log"),
    NEXTAUTH_URL: url("app"),
    APP_URL: url("app"),
    NEXT_DIST_DIR: distDir,
    NEXT_TELEMETRY_DISABLED: "1",
  };
  // Before anything loads lib/env (the seed does): it reads the environment once.
  Object.assign(process.env, {
    DATABASE_URL: database.url,
    NEXTAUTH_SECRET: secret,
    LEDGER_SIGNING_KEY: env.LEDGER_SIGNING_KEY,
    APP_URL: env.APP_URL,
    DATABASE_POOL_SIZE: "20",
  });
  await seed(database.url, { demoAccounts: false });
  if (!existsSync(`${distDir}/BUILD_ID`)) {
    console.log(`Building the app into ${distDir}…`);
    const build = spawnSync("npx", ["next", "build"], { env, stdio: ["ignore", "ignore", "inherit"] });
    if (build.status !== 0) throw new Error("next build failed");
  }

  // Data, made with the app's own services: 1,000 subjects of a service
  // (each accepted the agreement and granted two purposes), 32 signed-in
  // users with the same, one API key with every scope and no practical limit.
  const { prisma, pool } = await import("../lib/db");
  const { acceptAgreement } = await import("../lib/consent/accept-agreement");
  const { changePurposeConsent } = await import("../lib/consent/change-purpose");
  const { getVersionInEffect } = await import("../lib/agreements/versions");
  const { ensureExternalSubject } = await import("../lib/service-api/subjects");
  const { createApiKey } = await import("../lib/api-keys/api-keys");
  const version = await getVersionInEffect();
  if (!version) throw new Error("no version in effect");
  const meta = { ipTruncated: "127.0.0.0", userAgent: "bench", locale: "en", gpc: false };
  const consentOf = async (subjectId: string) => {
    await acceptAgreement({
      subjectId,
      versionId: version.id,
      shownSha256: version.bodySha256,
      method: "APP",
      meta,
    });
    for (const purposeKey of ["surveys", "personalisation"])
      await changePurposeConsent({
        subjectId,
        purposeKey,
        action: "grant",
        method: "APP",
        meta,
        idempotencyKey: `bench:${randomUUID()}`,
      });
  };
  const externalIds = Array.from({ length: BATCH }, (_, i) => `bench-user-${i}`);
  for (let i = 0; i < externalIds.length; i += 20)
    await Promise.all(
      externalIds.slice(i, i + 20).map(async (id) => consentOf(await ensureExternalSubject(id, null))),
    );
  const key = await createApiKey(
    { actor: null, meta: null, via: "cli" },
    { name: "bench", scopes: ["status:read", "consent:write"], rateLimitPerMinute: 10_000_000 },
  );
  if (!key.ok) throw new Error(key.message);
  const bearer = { authorization: `Bearer ${key.data.key}` };
  const cookies: string[] = [];
  const subjectIds: string[] = [];
  for (let i = 0; i < CLIENTS; i++) {
    const user = await prisma.user.create({
      data: { email: `bench-${i}-${randomUUID()}@bench.accord.test`, passwordHash: "x" },
    });
    await consentOf(user.id);
    subjectIds.push(user.id);
    const token = await encode({
      token: { sub: user.id, sv: 0, authAt: Math.floor(Date.now() / 1000) },
      secret,
    });
    cookies.push(`next-auth.session-token=${token}`);
  }
  await pool.query("CREATE TABLE bench_rows (id uuid PRIMARY KEY, body text NOT NULL)");

  mkdirSync(".data", { recursive: true });
  const start = (name: string, script: string, port: number, extra: string[], conditions: boolean) => {
    const log = `.data/bench-service-${name}.log`;
    const out = openSync(log, "w");
    const child = spawn(
      process.execPath,
      [
        "--import",
        "tsx",
        ...(conditions ? ["--conditions=react-server"] : []),
        ...(cpuProfile && name === "app" ? ["--cpu-prof", "--cpu-prof-dir", ".data/prof"] : []),
        script,
        ...extra,
      ],
      {
        env: { ...env, PORT: String(port), BENCH_DATABASE_URL: database.url },
        stdio: ["ignore", out, out],
      },
    );
    servers.push(child);
    return { child, log };
  };
  const app = start("app", "bench/service-app-server.ts", PORTS.app, [], true);
  const next = start("next", "bench/service-app-server.ts", PORTS.next, ["--no-fast-paths"], true);
  const bare = start("bare", "bench/service-bare-server.ts", PORTS.bare, [], false);
  Object.assign(serverPids, { app: app.child.pid, next: next.child.pid, bare: bare.child.pid });
  await waitFor(app.child, `${url("app")}/robots.txt`, app.log);
  await waitFor(next.child, `${url("next")}/robots.txt`, next.log);
  await waitFor(bare.child, `${url("bare")}/`, bare.log);

  let turn = 0;
  const pick = <T>(list: readonly T[]) => list[turn++ % list.length] as T;
  const known = externalIds.slice(0, CLIENTS);
  const batchBody = JSON.stringify({ subjectIds: externalIds });
  const targets: Record<string, Target> = {
    bareSelect: {
      server: "bare",
      method: "GET",
      request: () => ({ path: `/select?id=${pick(subjectIds)}` }),
    },
    status: {
      server: "app",
      method: "GET",
      request: () => ({ path: `/api/v1/subjects/${pick(known)}/status`, headers: bearer }),
    },
    batch: {
      server: "app",
      method: "POST",
      request: () => ({
        path: "/api/v1/subjects/status",
        headers: { ...bearer, "content-type": "application/json" },
        body: batchBody,
      }),
    },
    bareInsert: {
      server: "bare",
      method: "POST",
      request: () => ({ path: "/insert", body: JSON.stringify({ purposeKey: "surveys", granted: true }) }),
    },
    record: {
      server: "app",
      method: "POST",
      request: () => ({
        path: `/api/v1/subjects/${pick(known)}/consent`,
        headers: { ...bearer, "content-type": "application/json", "idempotency-key": randomUUID() },
        body: JSON.stringify({
          decision: turn % 2 ? "grant" : "withdraw",
          purposeKey: "surveys",
          evidence: { ipAddress: "203.0.113.9", userAgent: "bench" },
        }),
      }),
    },
    meNext: {
      server: "next",
      method: "GET",
      request: () => ({ path: "/api/v1/me/consent", headers: { cookie: pick(cookies) } }),
    },
    meFast: {
      server: "app",
      method: "GET",
      request: () => ({ path: "/api/v1/me/consent", headers: { cookie: pick(cookies) } }),
    },
  };

  // Warm every path measured (JIT, prepared statements, pools) first.
  for (const [id, target] of Object.entries(targets))
    if (!only || only.includes(id)) await load("warm-up", target, 8, 2);

  // Interleaved rounds, each variant's median kept: the machine is shared.
  const allVariants: [string, Target, number, string][] = [
    [`bare SELECT by key, ${CLIENTS} clients`, targets.bareSelect!, CLIENTS, "bareSelect"],
    [`status by API key (fast path), ${CLIENTS} clients`, targets.status!, CLIENTS, "status"],
    [`batch status of ${BATCH}, 1 client`, targets.batch!, 1, "batch"],
    [`bare INSERT, ${CLIENTS} clients`, targets.bareInsert!, CLIENTS, "bareInsert"],
    [`record by API key (fast path), ${CLIENTS} clients`, targets.record!, CLIENTS, "record"],
    [`GET /api/v1/me/consent, Next route, ${CLIENTS} clients`, targets.meNext!, CLIENTS, "meNext"],
    [`GET /api/v1/me/consent, fast path, ${CLIENTS} clients`, targets.meFast!, CLIENTS, "meFast"],
  ];
  const variants = allVariants.filter(([, , , id]) => !only || only.includes(id));
  const load1 = loadavg()[0] ?? 0;
  const samples: Run[][] = variants.map(() => []);
  for (let round = 0; round < ROUNDS; round++)
    for (const [i, [name, target, connections]] of variants.entries())
      samples[i]?.push(await load(name, target, connections, DURATION));
  const median = (list: Run[]) => [...list].sort((a, b) => a.rps - b.rps)[Math.floor(list.length / 2)] as Run;
  const runs = samples.map(median);

  console.log(
    `\nService API bench: median of ${ROUNDS} interleaved rounds of ${DURATION} s; load average ${load1.toFixed(1)} → ${(loadavg()[0] ?? 0).toFixed(1)}\n`,
  );
  console.log(
    "run".padEnd(56) +
      "req/s".padStart(9) +
      "p50 ms".padStart(9) +
      "p99 ms".padStart(9) +
      "  non-2xx/errors" +
      "  CPU ms/request: server, postgres, load",
  );
  for (const run of runs)
    console.log(
      run.name.padEnd(56) +
        run.rps.toFixed(0).padStart(9) +
        String(run.p50).padStart(9) +
        String(run.p99).padStart(9) +
        `  ${run.non2xx}/${run.errors}`.padEnd(17) +
        `  ${run.cpu.server.toFixed(3)}, ${run.cpu.postgres.toFixed(3)}, ${run.cpu.load.toFixed(3)}`,
    );
  const byId = new Map(variants.map(([, , , id], i) => [id, runs[i] as Run]));
  const verdict = (ok: boolean) => (ok ? "PASS" : "FAIL");
  const line = (label: string, value: string, target: string, ok: boolean) =>
    console.log(`${label.padEnd(48)}${value.padStart(10)}  (target ${target}) ${verdict(ok)}`);
  const [bareSelect, status, batch, bareInsert, record, meNext, meFast] = [
    "bareSelect",
    "status",
    "batch",
    "bareInsert",
    "record",
    "meNext",
    "meFast",
  ].map((id) => byId.get(id));
  console.log("");
  if (bareSelect && status)
    line(
      "status by key / bare SELECT",
      `${((100 * status.rps) / bareSelect.rps).toFixed(0)}%`,
      "≥ 50%",
      status.rps >= 0.5 * bareSelect.rps,
    );
  if (status) line("status by key p99", `${status.p99} ms`, "≤ 25 ms", status.p99 <= 25);
  if (batch) line(`batch of ${BATCH} p99`, `${batch.p99} ms`, "≤ 50 ms", batch.p99 <= 50);
  if (bareInsert && record)
    line(
      "record by key / bare INSERT",
      `${((100 * record.rps) / bareInsert.rps).toFixed(0)}%`,
      "≥ 25%",
      record.rps >= 0.25 * bareInsert.rps,
    );
  if (meNext && meFast)
    line(
      "me/consent fast path / Next route",
      `${(meFast.rps / meNext.rps).toFixed(2)}×`,
      "≥ 3×",
      meFast.rps >= 3 * meNext.rps,
    );
  if (dbCeiling) await measureDbCeiling(database.url, pool, version.id);
  const failures = runs.filter((run) => run.non2xx > 0 || run.errors > 0);
  if (failures.length)
    console.log(`\nWARNING: non-2xx answers or errors in: ${failures.map((r) => r.name).join("; ")}`);
} catch (error) {
  console.error(error);
  process.exitCode = 1;
} finally {
  for (const server of servers) server.kill("SIGTERM");
  // A profile is written as the server exits: give it the time.
  await new Promise((resolve) => setTimeout(resolve, cpuProfile ? 5000 : 500));
  if (keepDatabase) console.log(`\nDatabase kept: ${database.url}`);
  else await database.drop();
  process.exit();
}
