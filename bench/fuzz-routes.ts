/**
 * Property-based fuzzing of every JSON route against a running server (issue
 * 9, "Must hold"): RUNS (default 10,000) generated hostile requests per route
 * (tests/security/fuzz-cases.ts), sent over HTTP to the built app behind the
 * custom server, as `npm start` serves it. Reports per route: statuses, the
 * number of answers ≥ 500 (must be 0), write routes accepting (2xx; must
 * be 0), and rows written (must be 0: counted in every table a request could
 * write, before and after). As a same-run baseline it measures a valid
 * request (GET /api/v1/log/checkpoint) at the same concurrency and prints the
 * fuzz rate as a ratio of it.
 *
 *   npx tsx --conditions=react-server bench/fuzz-routes.ts [--runs 10000] [--port 4121] [--dist .next-e2e]
 *     [--only <substring,...>] [--list]
 *
 * --dist reuses a build (e.g. the e2e one); otherwise it builds into .next-bench-fuzz.
 * --only runs just the routes whose name (e.g. "DELETE /api/v1/webhooks/{endpointId}")
 * contains one of the comma-separated substrings; --list prints the route names and exits.
 */
import { spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, openSync } from "node:fs";
import fc from "fast-check";
import pg from "pg";
import { createTestDatabase } from "../tests/helpers/test-database";
import { seed } from "../prisma/seed";
import { spawnAppServer } from "../scripts/lib/spawn-app-server";
import { fuzzRoutes, type FuzzRequest } from "../tests/security/fuzz-cases";
import { generateSignerKey } from "../lib/ledger/note";
import { endPool } from "../tests/helpers/end-pool";

const args = process.argv.slice(2);
const option = (name: string) => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? args[at + 1] : undefined;
};
const RUNS = Number(option("runs") ?? 10_000);
const PORT = Number(option("port") ?? 4121);
const CONCURRENCY = 8;
const BASE = `http://127.0.0.1:${PORT}`;
const distDir = option("dist") ?? ".next-bench-fuzz";
const secret = randomBytes(32).toString("hex");
const only = option("only")
  ?.split(",")
  .map((part) => part.trim())
  .filter(Boolean);
const routes = fuzzRoutes().filter(
  (route) => !only?.length || only.some((part) => route.name.includes(part)),
);
if (args.includes("--list")) {
  for (const route of routes)
    console.log(`${route.name}  (${route.caller}${route.writes ? ", writes" : ""})`);
  process.exit(0);
}
if (routes.length === 0) {
  console.error(`No route's name contains any of: ${only?.join(", ")}. --list prints them.`);
  process.exit(2);
}

async function waitForServer(server: ChildProcess) {
  for (let i = 0; i < 240; i++) {
    if (server.exitCode !== null)
      throw new Error("the app exited while starting; see .data/bench-fuzz-server.log");
    try {
      if ((await fetch(`${BASE}/agreement`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error("the app did not start within 120 s");
}

async function send(request: FuzzRequest, caller: Record<string, string>): Promise<number> {
  const response = await fetch(`${BASE}${request.path}`, {
    method: request.method,
    headers: { ...request.headers, ...caller },
    body: request.body,
    redirect: "manual",
  });
  await response.arrayBuffer();
  return response.status;
}

/** Runs `task` over `items` with CONCURRENCY in flight; returns requests per second. */
async function pooled<T>(items: T[], task: (item: T) => Promise<void>): Promise<number> {
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < items.length) await task(items[next++] as T);
    }),
  );
  return items.length / ((performance.now() - started) / 1000);
}

const database = await createTestDatabase();
let server: ChildProcess | undefined;
let failed = false;
try {
  await seed(database.url, { demoAccounts: false });
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    DATABASE_URL: database.runtimeUrl,
    DATABASE_POOL_SIZE: "10",
    NEXTAUTH_SECRET: secret,
    NEXTAUTH_URL: BASE,
    APP_URL: BASE,
    NEXT_DIST_DIR: distDir,
    NEXT_TELEMETRY_DISABLED: "1",
    ACCORD_CLOCK_FILE: `.data/bench-fuzz-clock-${PORT}.json`,
    LEDGER_SIGNING_KEY: generateSignerKey(`127.0.0.1:${PORT}/accord/consent-log`),
  };
  if (!option("dist") || !existsSync(distDir)) {
    console.log(`Building the app into ${distDir}…`);
    const build = spawnSync("npx", ["next", "build"], { env, stdio: ["ignore", "ignore", "inherit"] });
    if (build.status !== 0) throw new Error("next build failed");
  }
  Object.assign(process.env, {
    DATABASE_URL: database.runtimeUrl,
    NEXTAUTH_SECRET: secret,
    APP_URL: BASE,
    LEDGER_SIGNING_KEY: env.LEDGER_SIGNING_KEY,
  });
  const { makeCredentials, countRows } = await import("../tests/security/fuzz-setup");
  const credentials = await makeCredentials();
  const owner = new pg.Pool({ connectionString: database.url, max: 2 });

  mkdirSync(".data", { recursive: true });
  const log = openSync(".data/bench-fuzz-server.log", "w");
  server = spawnAppServer({ env, port: PORT, stdio: ["ignore", log, log] });
  await waitForServer(server);

  const baselineRequests = Array.from({ length: 2000 }, () => ({
    method: "GET" as const,
    path: "/api/v1/log/checkpoint",
    headers: {},
  }));
  await pooled(baselineRequests.slice(0, 200), async (r) => void (await send(r, {})));
  const baselineRps = await pooled(baselineRequests, async (r) => void (await send(r, {})));
  console.log(
    `baseline: valid GET /api/v1/log/checkpoint, ${CONCURRENCY} in flight: ${baselineRps.toFixed(0)} req/s`,
  );
  console.log(
    `load average at start: ${(await import("node:os"))
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(" ")}\n`,
  );

  console.log(
    "| route | requests | statuses | ≥500 | write route accepted (2xx) | rows written | req/s | × baseline |",
  );
  console.log("| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: |");
  for (const route of routes) {
    const requests = fc.sample(route.request, RUNS);
    const before = await countRows(owner);
    const statuses = new Map<number, number>();
    let serverErrors = 0;
    let notRefused = 0;
    const examples: string[] = [];
    const rps = await pooled(requests, async (request) => {
      const status = await send(request, credentials[route.caller]);
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
      // A write route must never accept (2xx); Next's 308 for a path like /subjects//consent is a refusal too.
      const accepted = route.writes && status >= 200 && status < 300;
      const bad = status >= 500 || accepted;
      if (status >= 500) serverErrors++;
      if (accepted) notRefused++;
      if (bad && examples.length < 3)
        examples.push(`${status} ${request.method} ${request.path} ${request.body ?? ""}`.slice(0, 300));
    });
    const after = await countRows(owner);
    const written = Object.keys(after).reduce((sum, t) => sum + ((after[t] ?? 0) - (before[t] ?? 0)), 0);
    const histogram = [...statuses.entries()]
      .sort(([a], [b]) => a - b)
      .map(([s, n]) => `${s}×${n}`)
      .join(" ");
    console.log(
      `| ${route.name} | ${requests.length} | ${histogram} | ${serverErrors} | ${notRefused} | ${written} | ${rps.toFixed(0)} | ${(rps / baselineRps).toFixed(2)} |`,
    );
    for (const example of examples) console.log(`    e.g. ${example}`);
    if (serverErrors || notRefused || written) failed = true;
  }
  await endPool(owner);
  // The services' own pool (used to make the credentials) must close before the database is dropped.
  await endPool((await import("../lib/db")).pool);
} finally {
  server?.kill("SIGTERM");
  await database.drop();
}
console.log(
  failed ? "\nFAILED: see the rows above." : "\nPASSED: no 5xx, every write refused, nothing written.",
);
process.exit(failed ? 1 : 0);
