/**
 * Property-based fuzzing of every server action (issue 9, "Must hold"), at
 * benchmark size: RUNS (default 10,000) generated arguments per action
 * (tests/security/action-fuzz-cases.ts, the generator e2e/fuzz-actions.spec.ts
 * uses with 30), sent as Next sends a server action (POST to a page that uses
 * it, `Next-Action` header, same origin) by a signed-in ADMIN, who may call
 * nearly all of them, to the built app behind the custom server on a database
 * made for the run. Reports per action: statuses, answers ≥ 500 (must be 0),
 * answers that were not the action's refusal, and rows written in the tables a
 * request could write; an action that refused every input must have written
 * nothing. Baseline, same run: a valid GET /api/v1/log/checkpoint at the same
 * concurrency.
 *
 *   npx tsx --conditions=react-server bench/fuzz-actions.ts [--runs 10000] [--port 4122] [--dist .next-dir] [--actions 0:38]
 *
 * --actions from:to takes a slice of the build's actions (in the order the
 * table lists them), so a long run can be split over several processes;
 * --only a,b names them instead (the order differs from one build to the
 * next); --list 1 prints the build's actions in order and exits.
 *
 * --dist reuses a build (e.g. the e2e one); otherwise it builds into .next-bench-fuzz.
 */
import { spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, openSync } from "node:fs";
import { loadavg } from "node:os";
import fc from "fast-check";
import pg from "pg";
import { createTestDatabase } from "../tests/helpers/test-database";
import { seed } from "../prisma/seed";
import { spawnAppServer } from "../scripts/lib/spawn-app-server";
import { actionArgument, serverActions } from "../tests/security/action-fuzz-cases";
import { generateSignerKey } from "../lib/ledger/note";
import { endPool } from "../tests/helpers/end-pool";

const args = process.argv.slice(2);
const option = (name: string) => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? args[at + 1] : undefined;
};
const RUNS = Number(option("runs") ?? 10_000);
const PORT = Number(option("port") ?? 4122);
const CONCURRENCY = 8;
const BASE = `http://127.0.0.1:${PORT}`;
const distDir = option("dist") ?? ".next-bench-fuzz";
const secret = randomBytes(32).toString("hex");

async function waitForServer(server: ChildProcess) {
  for (let i = 0; i < 240; i++) {
    if (server.exitCode !== null)
      throw new Error("the app exited while starting; see .data/bench-fuzz-actions-server-<port>.log");
    try {
      if ((await fetch(`${BASE}/agreement`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error("the app did not start within 120 s");
}

/** Runs `task` over `items` with CONCURRENCY in flight; returns calls per second. */
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

if (option("list")) {
  for (const [i, action] of serverActions(distDir).entries()) console.log(`${i}\t${action.name}`);
  process.exit(0);
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
    ACCORD_CLOCK_FILE: `.data/bench-fuzz-actions-clock-${PORT}.json`,
    MAIL_DIR: `.data/bench-fuzz-actions-mail-${PORT}`,
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
  const { createSignedInUser } = await import("../tests/helpers/session-cookie");
  const { getVersionInEffect } = await import("../lib/agreements/versions");
  const { acceptAgreement } = await import("../lib/consent/accept-agreement");
  const { countRows } = await import("../tests/security/fuzz-setup");
  const admin = await createSignedInUser("ADMIN");
  const version = await getVersionInEffect();
  if (!version) throw new Error("no version in effect");
  await acceptAgreement({
    subjectId: admin.id,
    versionId: version.id,
    shownSha256: version.bodySha256,
    method: "WEB",
    meta: { ipTruncated: null, userAgent: null, locale: null },
  });
  const owner = new pg.Pool({ connectionString: database.url, max: 2 });

  mkdirSync(".data", { recursive: true });
  const log = openSync(`.data/bench-fuzz-actions-server-${PORT}.log`, "w");
  server = spawnAppServer({ env, port: PORT, stdio: ["ignore", log, log] });
  await waitForServer(server);

  const checkpoint = async () => void (await (await fetch(`${BASE}/api/v1/log/checkpoint`)).arrayBuffer());
  await pooled(Array.from({ length: 200 }), checkpoint);
  const baselineRps = await pooled(Array.from({ length: 2000 }), checkpoint);
  console.log(
    `baseline: valid GET /api/v1/log/checkpoint, ${CONCURRENCY} in flight: ${baselineRps.toFixed(0)} req/s`,
  );
  console.log(
    `load average at start: ${loadavg()
      .map((l) => l.toFixed(1))
      .join(" ")}`,
  );
  const started = Date.now();
  const startedAt = new Date(started);

  const [from, to] = (option("actions") ?? "0:").split(":").map((n) => (n === "" ? undefined : Number(n)));
  const all = serverActions(distDir);
  // --only names actions ("file#export" or the export alone, comma-separated):
  // the order of the table depends on the build's action ids, so a run split
  // over two builds names what is left rather than slicing it.
  const only = option("only")?.split(",").filter(Boolean);
  const actions = only
    ? all.filter((action) => only.some((name) => action.name === name || action.name.endsWith(`#${name}`)))
    : all.slice(from ?? 0, to ?? all.length);

  console.log(
    `${all.length} server actions in the build; this run: ${actions.length} (${from ?? 0} to ${(to ?? all.length) - 1}), ${RUNS} generated arguments each\n`,
  );
  console.log("| action | calls | statuses | ≥500 | not refused | rows written | calls/s | × baseline |");
  console.log("| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: |");
  let total = 0;
  for (const action of actions) {
    const inputs = fc.sample(actionArgument, { numRuns: RUNS, seed: 9 });
    const before = await countRows(owner);
    const statuses = new Map<number, number>();
    let serverErrors = 0;
    let notRefused = 0;
    const examples: string[] = [];
    // An action without input (a new draft) accepts every call: its drafts are
    // dropped as it goes, or every later call would render a page listing thousands.
    let calls = 0;
    // The same for an emergency key rotation: each call retires a key and makes one,
    // and the page it revalidates lists them all; retired keys made by the run go.
    const dropDrafts = async () => {
      await owner.query("DELETE FROM agreement_versions WHERE published_at IS NULL AND created_at >= $1", [
        startedAt,
      ]);
      await owner.query("DELETE FROM token_signing_keys WHERE retired_at IS NOT NULL AND created_at >= $1", [
        startedAt,
      ]);
    };
    const rps = await pooled(inputs, async (input) => {
      if (++calls % 200 === 0) await dropDrafts();
      const response = await fetch(`${BASE}${action.page}`, {
        method: "POST",
        headers: {
          "next-action": action.id,
          accept: "text/x-component",
          "content-type": "text/plain;charset=UTF-8",
          origin: BASE,
          cookie: admin.cookie,
        },
        body: JSON.stringify(["$undefined", input]),
        redirect: "manual",
      });
      const text = await response.text();
      statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
      if (response.status >= 500) {
        serverErrors++;
        if (examples.length < 3) examples.push(`${response.status} ${JSON.stringify(input).slice(0, 200)}`);
      }
      // Refused: the action's own Result, or a 4xx before it ran (the server's reply guard).
      const refused = /"ok":false/.test(text) || (response.status >= 400 && response.status < 500);
      if (!refused) notRefused++;
    });
    total += inputs.length;
    const after = await countRows(owner);
    await dropDrafts();
    const written = Object.keys(after).reduce((sum, t) => sum + ((after[t] ?? 0) - (before[t] ?? 0)), 0);
    const histogram = [...statuses.entries()]
      .sort(([a], [b]) => a - b)
      .map(([s, n]) => `${s}×${n}`)
      .join(" ");
    console.log(
      `| ${action.name} | ${inputs.length} | ${histogram} | ${serverErrors} | ${notRefused} | ${written} | ${rps.toFixed(0)} | ${(rps / baselineRps).toFixed(2)} |`,
    );
    for (const example of examples) console.log(`    e.g. ${example}`);
    // Refusing every input and writing anyway is a partial write; any 5xx is a failure.
    if (serverErrors || (notRefused === 0 && written !== 0)) failed = true;
  }
  console.log(
    `\n${total} calls over ${actions.length} actions in ${((Date.now() - started) / 1000).toFixed(0)} s; load average at the end: ${loadavg()
      .map((l) => l.toFixed(1))
      .join(" ")}`,
  );
  await endPool(owner);
  await endPool((await import("../lib/db")).pool);
} finally {
  server?.kill("SIGTERM");
  await database.drop();
}
console.log(
  failed
    ? "\nFAILED: see the rows above."
    : "\nPASSED: no 5xx, and no action that refused every input wrote anything.",
);
process.exit(failed ? 1 : 0);
