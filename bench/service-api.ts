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
// Ports: 4141 (app), 4142 (app without fast paths), 4143 (bare).
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { existsSync, mkdirSync, openSync } from "node:fs";
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
const BATCH = 1000;
const PORTS = { app: 4141, next: 4142, bare: 4143 };
const url = (server: keyof typeof PORTS) => `http://127.0.0.1:${PORTS[server]}`;
const distDir = option("dist") ?? ".next-bench-api";
const secret = randomBytes(32).toString("hex");

interface Run {
  name: string;
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
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

async function load(name: string, target: Target, connections: number, duration: number): Promise<Run> {
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
  return {
    name,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
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

const database = await createTestDatabase();
const servers: ChildProcess[] = [];
try {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    DATABASE_URL: database.url,
    DATABASE_POOL_SIZE: "16",
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
      ["--import", "tsx", ...(conditions ? ["--conditions=react-server"] : []), script, ...extra],
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

  // Warm every path (JIT, prepared statements, pools) before measuring.
  for (const target of Object.values(targets)) await load("warm-up", target, 8, 2);

  // Interleaved rounds, each variant's median kept: the machine is shared.
  const variants: [string, Target, number][] = [
    [`bare SELECT by key, ${CLIENTS} clients`, targets.bareSelect!, CLIENTS],
    [`status by API key (fast path), ${CLIENTS} clients`, targets.status!, CLIENTS],
    [`batch status of ${BATCH}, 1 client`, targets.batch!, 1],
    [`bare INSERT, ${CLIENTS} clients`, targets.bareInsert!, CLIENTS],
    [`record by API key (fast path), ${CLIENTS} clients`, targets.record!, CLIENTS],
    [`GET /api/v1/me/consent, Next route, ${CLIENTS} clients`, targets.meNext!, CLIENTS],
    [`GET /api/v1/me/consent, fast path, ${CLIENTS} clients`, targets.meFast!, CLIENTS],
  ];
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
    "run".padEnd(56) + "req/s".padStart(9) + "p50 ms".padStart(9) + "p99 ms".padStart(9) + "  non-2xx/errors",
  );
  for (const run of runs)
    console.log(
      run.name.padEnd(56) +
        run.rps.toFixed(0).padStart(9) +
        String(run.p50).padStart(9) +
        String(run.p99).padStart(9) +
        `  ${run.non2xx}/${run.errors}`,
    );
  const [bareSelect, status, batch, bareInsert, record, meNext, meFast] = runs as [
    Run,
    Run,
    Run,
    Run,
    Run,
    Run,
    Run,
  ];
  const verdict = (ok: boolean) => (ok ? "PASS" : "FAIL");
  const line = (label: string, value: string, target: string, ok: boolean) =>
    console.log(`${label.padEnd(48)}${value.padStart(10)}  (target ${target}) ${verdict(ok)}`);
  console.log("");
  line(
    "status by key / bare SELECT",
    `${((100 * status.rps) / bareSelect.rps).toFixed(0)}%`,
    "≥ 50%",
    status.rps >= 0.5 * bareSelect.rps,
  );
  line("status by key p99", `${status.p99} ms`, "≤ 25 ms", status.p99 <= 25);
  line(`batch of ${BATCH} p99`, `${batch.p99} ms`, "≤ 50 ms", batch.p99 <= 50);
  line(
    "record by key / bare INSERT",
    `${((100 * record.rps) / bareInsert.rps).toFixed(0)}%`,
    "≥ 25%",
    record.rps >= 0.25 * bareInsert.rps,
  );
  line(
    "me/consent fast path / Next route",
    `${(meFast.rps / meNext.rps).toFixed(2)}×`,
    "≥ 3×",
    meFast.rps >= 3 * meNext.rps,
  );
  const failures = runs.filter((run) => run.non2xx > 0 || run.errors > 0);
  if (failures.length)
    console.log(`\nWARNING: non-2xx answers or errors in: ${failures.map((r) => r.name).join("; ")}`);
} catch (error) {
  console.error(error);
  process.exitCode = 1;
} finally {
  for (const server of servers) server.kill("SIGTERM");
  await new Promise((resolve) => setTimeout(resolve, 500));
  await database.drop();
  process.exit();
}
