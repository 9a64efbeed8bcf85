// Consent append throughput (issue 3), against the built app on a fresh database.
//
//   npx tsx --conditions=react-server bench/consent-append.ts [--dist .next-dir] [--duration 5] [--rounds 3]
//
// Builds the app with ACCORD_TEST_BUILD=1 (so the bench-only baseline route
// exists) unless --dist names an existing build of that kind, serves it on
// 127.0.0.1, and drives it with autocannon:
//   1. baseline: POST /api/test/bench-insert (signed in, one plain INSERT), 32 clients
//   2. ledger:   POST /api/v1/me/consent (signed in, event + chain + projection), 32 clients
//   3. ledger:   the same with 1 client
//   4. baseline: POST /api/test/bench-consent-format1, the consent route with
//      the format 1 append (no log signature; into copies of the ledger
//      tables, lib/consent/bench-format1-append.ts), 32 clients
// Each of the 32 clients is its own user (its own chain). Prints the ratios
// 2/1 (target ≥ 0.8), 2/3 (target ≥ 3) and 2/4 (issue 10: format 2 costs the
// route at most 5 %, target ≥ 0.95), then re-verifies the ledger.
import { spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { existsSync, mkdirSync, openSync } from "node:fs";
import autocannon from "autocannon";
import { encode } from "next-auth/jwt";
import { createTestDatabase } from "../tests/helpers/test-database";
import { seed } from "../prisma/seed";
import { spawnAppServer } from "../scripts/lib/spawn-app-server";
import { generateSignerKey } from "../lib/ledger/note";

const args = process.argv.slice(2);
const option = (name: string) => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? args[at + 1] : undefined;
};
const DURATION = Number(option("duration") ?? 5);
const ROUNDS = Number(option("rounds") ?? 3);
const CLIENTS = 32;
const PORT = Number(option("port") ?? 3197);
const BASE = `http://127.0.0.1:${PORT}`;
const distDir = option("dist") ?? ".next-bench-consent";
const FORMAT1_PATH = "/api/test/bench-consent-format1";
const secret = randomBytes(32).toString("hex");

interface Run {
  name: string;
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
}

async function load(
  name: string,
  path: string,
  body: string | undefined,
  cookies: string[],
  connections: number,
  duration: number,
): Promise<Run> {
  let next = 0;
  const result = await autocannon({
    url: `${BASE}${path}`,
    method: "POST",
    connections,
    duration,
    headers: { "content-type": "application/json" },
    ...(body ? { body } : {}),
    // Each connection is one user, so each writes to its own chain.
    setupClient: (client) => {
      const cookie = cookies[next++ % cookies.length] ?? "";
      client.setHeaders({ "content-type": "application/json", cookie });
    },
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

async function waitForServer(server: ChildProcess) {
  for (let i = 0; i < 120; i++) {
    if (server.exitCode !== null)
      throw new Error("the app exited while starting; see .data/bench-consent-server.log");
    try {
      if ((await fetch(`${BASE}/agreement`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error("the app did not start within 60 s");
}

const logKey = generateSignerKey(`127.0.0.1:${PORT}/accord/consent-log`);
const database = await createTestDatabase();
let server: ChildProcess | undefined;
try {
  await seed(database.url, { demoAccounts: false });
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    DATABASE_URL: database.url,
    DATABASE_POOL_SIZE: "16",
    NEXTAUTH_SECRET: secret,
    // Format 2: every append is signed with the log key (docs/ledger.md §11).
    LEDGER_SIGNING_KEY: logKey,
    NEXTAUTH_URL: BASE,
    APP_URL: BASE,
    ACCORD_TEST_BUILD: "1",
    ACCORD_CLOCK_FILE: `.data/bench-consent-clock-${PORT}.json`,
    // The bench drives a few users far past a person's per-minute allowance.
    CONSENT_WRITES_PER_MINUTE: "100000000",
    NEXT_DIST_DIR: distDir,
    NEXT_TELEMETRY_DISABLED: "1",
  };
  if (!option("dist") || !existsSync(distDir)) {
    console.log(`Building the app (ACCORD_TEST_BUILD=1) into ${distDir}…`);
    const build = spawnSync("npx", ["next", "build"], { env, stdio: ["ignore", "ignore", "inherit"] });
    if (build.status !== 0) throw new Error("next build failed");
  }

  // Users, each with an accepted agreement, made with the app's own services.
  Object.assign(process.env, {
    DATABASE_URL: database.url,
    NEXTAUTH_SECRET: secret,
    LEDGER_SIGNING_KEY: logKey,
    DATABASE_POOL_SIZE: String(CLIENTS + 2),
  });
  const { prisma, pool } = await import("../lib/db");
  const { acceptAgreement } = await import("../lib/consent/accept-agreement");
  const { getVersionInEffect } = await import("../lib/agreements/versions");
  const { verifyLedger } = await import("../lib/ledger/verify-ledger");
  const { appendConsentEvent } = await import("../lib/ledger/append");
  const version = await getVersionInEffect();
  if (!version) throw new Error("no version in effect");
  const cookies: string[] = [];
  const subjects: string[] = [];
  for (let i = 0; i < CLIENTS; i++) {
    const user = await prisma.user.create({
      data: { email: `bench-${i}-${randomUUID()}@bench.accord.test`, passwordHash: "x" },
    });
    const meta = { ipTruncated: "127.0.0.0", userAgent: "bench", locale: "en" };
    await acceptAgreement({
      subjectId: user.id,
      versionId: version.id,
      shownSha256: version.bodySha256,
      method: "WEB",
      meta,
    });
    subjects.push(user.id);
    // A session as next-auth makes it: session version 0, signed in now (lib/auth/session.ts).
    const token = await encode({
      token: { sub: user.id, sv: 0, authAt: Math.floor(Date.now() / 1000) },
      secret,
    });
    cookies.push(`next-auth.session-token=${token}`);
  }

  // The format 1 baseline's tables (same columns, indexes and webhook trigger as the ledger's).
  const { BENCH_FORMAT1_SCHEMA_SQL } = await import("../lib/consent/bench-format1-append");
  await pool.query(BENCH_FORMAT1_SCHEMA_SQL);

  mkdirSync(".data", { recursive: true });
  const log = openSync(".data/bench-consent-server.log", "w");
  server = spawnAppServer({
    env,
    port: PORT,
    stdio: ["ignore", log, log],
    // e.g. BENCH_SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" to profile the server.
    nodeArgs: process.env.BENCH_SERVER_NODE_ARGS?.split(" ").filter(Boolean),
  });
  await waitForServer(server);

  const consent = JSON.stringify({ purposeKey: "surveys", action: "grant" });
  // Warm both paths (JIT, prepared statements, pool) before measuring.
  await load("warm-up", "/api/test/bench-insert", undefined, cookies, 8, 3);
  await load("warm-up", "/api/v1/me/consent", consent, cookies, 8, 3);
  await load("warm-up", FORMAT1_PATH, consent, cookies, 8, 3);

  // Rounds of interleaved runs, each variant's median kept: the machine is
  // shared, and interleaving spreads any outside load over all variants.
  const variants: [string, string, string | undefined, string[], number][] = [
    [`plain INSERT route, ${CLIENTS} clients`, "/api/test/bench-insert", undefined, cookies, CLIENTS],
    [
      `consent route, ${CLIENTS} clients / ${CLIENTS} subjects`,
      "/api/v1/me/consent",
      consent,
      cookies,
      CLIENTS,
    ],
    [
      `format 1 consent route (old append), ${CLIENTS} clients / ${CLIENTS} subjects`,
      FORMAT1_PATH,
      consent,
      cookies,
      CLIENTS,
    ],
    ["consent route, 1 client", "/api/v1/me/consent", consent, cookies.slice(0, 1), 1],
    [
      `plain INSERT route without auth, ${CLIENTS} clients`,
      "/api/test/bench-insert?auth=none",
      undefined,
      cookies,
      CLIENTS,
    ],
    [
      `consent route, ${CLIENTS} clients / 1 subject`,
      "/api/v1/me/consent",
      consent,
      cookies.slice(0, 1),
      CLIENTS,
    ],
  ];
  const samples: Run[][] = variants.map(() => []);
  for (let round = 0; round < ROUNDS; round++) {
    for (const [i, [name, path, body, clientCookies, connections]] of variants.entries()) {
      samples[i]?.push(await load(name, path, body, clientCookies, connections, DURATION));
    }
  }
  const median = (list: Run[]) => [...list].sort((a, b) => a.rps - b.rps)[Math.floor(list.length / 2)] as Run;
  const runs = samples.map(median);
  const everyRun = samples.flat();
  console.log(
    `\nConsent append bench: median of ${ROUNDS} interleaved rounds of ${DURATION} s, 2 cores shared with the load generator\n`,
  );
  console.log(
    "run".padEnd(56) + "req/s".padStart(9) + "p50 ms".padStart(9) + "p99 ms".padStart(9) + "  non-2xx/errors",
  );
  for (const run of runs) {
    console.log(
      run.name.padEnd(56) +
        run.rps.toFixed(0).padStart(9) +
        String(run.p50).padStart(9) +
        String(run.p99).padStart(9) +
        `  ${run.non2xx}/${run.errors}`,
    );
  }
  const [baseline, ledger, format1, single, anonymous, contended] = runs as [Run, Run, Run, Run, Run, Run];
  const ratio = ledger.rps / baseline.rps;
  const scale = ledger.rps / single.rps;
  const againstFormat1 = ledger.rps / format1.rps;
  console.log(
    `\nconsent / plain INSERT (both signed in), ${CLIENTS} clients: ${ratio.toFixed(2)} (target ≥ 0.80) ${ratio >= 0.8 ? "PASS" : "FAIL"}`,
  );
  console.log(
    `consent (format 2) / format 1 append route, ${CLIENTS} clients: ${againstFormat1.toFixed(3)} (target ≥ 0.95) ${againstFormat1 >= 0.95 ? "PASS" : "FAIL"}`,
  );
  // The same ratio per round (each pair ran back to back), to show the spread.
  const perRound = samples[1]!.map((run, i) => (run.rps / (samples[2]![i]?.rps ?? NaN)).toFixed(3));
  console.log(`  per round: ${perRound.join(", ")}`);
  console.log(
    `consent / plain INSERT without auth:            ${(ledger.rps / anonymous.rps).toFixed(2)} (for reference)`,
  );
  console.log(
    `${CLIENTS} clients on ${CLIENTS} subjects / 1 client:         ${scale.toFixed(2)}× (target ≥ 3×) ${scale >= 3 ? "PASS" : "FAIL"}`,
  );
  console.log(
    `${CLIENTS} clients on 1 subject / 1 client:            ${(contended.rps / single.rps).toFixed(2)}× (one chain serialises, for reference)`,
  );

  // The ledger alone, without Next: appendConsentEvent in a loop, 1 writer
  // vs 32 writers on 32 subjects (the app server is stopped first, so the two
  // cores serve this process and Postgres only).
  server.kill("SIGTERM");
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const appendLoop = async (writers: string[], seconds: number) => {
    const end = Date.now() + seconds * 1000;
    let count = 0;
    await Promise.all(
      writers.map(async (subjectId) => {
        while (Date.now() < end) {
          await appendConsentEvent({
            subjectId,
            action: count % 2 ? "PURPOSE_GRANTED" : "PURPOSE_WITHDRAWN",
            versionId: version.id,
            versionNumber: version.number ?? 1,
            purposeKey: "surveys",
            noticeSha256: "0".repeat(64),
            method: "API",
            ipTruncated: "127.0.0.0",
            userAgent: "bench",
            locale: "en",
            idempotencyKey: `bench:${randomUUID()}`,
          });
          count++;
        }
      }),
    );
    return count / seconds;
  };
  await appendLoop(subjects.slice(0, 8), 2);
  const direct1 = await appendLoop(subjects.slice(0, 1), DURATION);
  const direct32 = await appendLoop(subjects, DURATION);
  const directShared = await appendLoop(
    Array.from({ length: CLIENTS }, () => subjects[0] ?? ""),
    DURATION,
  );
  console.log(`
appendConsentEvent directly (no HTTP), ${DURATION} s each:`);
  console.log(
    `  1 writer: ${direct1.toFixed(0)}/s; ${CLIENTS} writers on ${CLIENTS} subjects: ${direct32.toFixed(0)}/s; ${CLIENTS} writers on 1 subject: ${directShared.toFixed(0)}/s`,
  );
  const directScale = direct32 / direct1;
  console.log(
    `  ${CLIENTS} subjects / 1 writer: ${directScale.toFixed(2)}× (target ≥ 3×) ${directScale >= 3 ? "PASS" : "FAIL"}`,
  );

  const report = await verifyLedger(pool);
  console.log(
    `\nledger after the bench: ${report.events} events in ${report.subjects} chains, ${report.problems.length} problems`,
  );
  if (everyRun.some((run) => run.errors > 0 || run.non2xx > 0) || report.problems.length)
    process.exitCode = 1;
  await prisma.$disconnect();
  await pool.end();
} finally {
  server?.kill("SIGTERM");
  await new Promise((resolve) => setTimeout(resolve, 500));
  await database.drop();
}
