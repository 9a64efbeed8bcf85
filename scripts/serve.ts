// The body of `npm start` (and `npm run dev` with --dev): database, migrations,
// seed, build, then the app served by the custom server (lib/server) plus the
// background worker and checkpoints, all in this process.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { applyMigrations, ensureRuntimeRole, migrationTarget } from "../prisma/migrate";
import { DEMO_ACCOUNTS, seed } from "../prisma/seed";
import { DataDirLockedError } from "../lib/db/data-dir-lock";
import { EMBEDDED_RUNTIME_ROLE, ensureDatabase, ensureSecret, ensureSigningKey } from "./lib/runtime-env";

const dev = process.argv.includes("--dev");
const port = process.env.PORT ?? "3000";
process.env.APP_URL ??= `http://localhost:${port}`;
process.env.NEXTAUTH_URL ??= process.env.APP_URL;
process.env.NEXT_TELEMETRY_DISABLED = "1";
// Next.js runs in this process: production mode unless --dev.
Object.assign(process.env, { NODE_ENV: dev ? "development" : "production" });

ensureSecret();
ensureSigningKey();
const database = await ensureDatabase().catch((error: unknown) => {
  // Another process has the embedded folder: say who, without a stack trace.
  if (error instanceof DataDirLockedError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
});
console.log(`Database: ${database.description}`);

// Migrations and the seed run as the owner of the tables; the app as a
// runtime role with the privileges of prisma/grants.ts (docs/deployment.md).
const target = database.useRole
  ? { url: database.url, runtimeRole: EMBEDDED_RUNTIME_ROLE }
  : migrationTarget();
if (database.useRole) await ensureRuntimeRole(database.url, EMBEDDED_RUNTIME_ROLE);
const { applied } = await applyMigrations(target.url, (line) => console.log(`  ${line}`), {
  runtimeRole: target.runtimeRole,
});
console.log(applied.length ? `Applied ${applied.length} migration(s).` : "Migrations: up to date.");
const demoAccounts = database.embedded || process.env.SEED_DEMO_ACCOUNTS === "1";
await seed(target.url, { demoAccounts });
if (database.useRole) {
  await database.useRole(EMBEDDED_RUNTIME_ROLE);
  console.log(
    `The app runs as ${EMBEDDED_RUNTIME_ROLE} (on the embedded database, one shared session: see docs/deployment.md).`,
  );
} else if (!target.runtimeRole) {
  console.warn(
    "Warning: the app runs as the owner of its tables. Set DATABASE_OWNER_URL (owner) and DATABASE_URL (runtime role): docs/deployment.md.",
  );
}

/** A fingerprint of everything the build reads, so an unchanged tree is not rebuilt. */
function sourceFingerprint(): string {
  const listed = spawnSync("git", ["ls-files", "-co", "--exclude-standard"], { encoding: "utf8" });
  const files = (listed.stdout || "")
    .split("\n")
    .filter((f) =>
      /^(app|components|lib|public)\/|^(next\.config\.ts|package-lock\.json|postcss\.config\.mjs)$/.test(f),
    );
  const hash = createHash("sha256");
  for (const file of files.sort()) {
    if (!existsSync(file)) continue;
    const { mtimeMs, size } = statSync(file);
    hash.update(`${file}:${mtimeMs}:${size}\n`);
  }
  return hash.digest("hex");
}

if (!dev) {
  const stampFile = ".next/accord-build-stamp";
  const fingerprint = sourceFingerprint();
  const upToDate =
    existsSync(".next/BUILD_ID") && existsSync(stampFile) && readFileSync(stampFile, "utf8") === fingerprint;
  if (upToDate) {
    console.log("Build: up to date.");
  } else {
    console.log("Building the app (next build)…");
    const build = spawnSync("npx", ["next", "build"], { stdio: "inherit", env: process.env });
    if (build.status !== 0) {
      await database.stop();
      process.exit(build.status ?? 1);
    }
    writeFileSync(stampFile, fingerprint);
  }
}

// Imported only now: lib/env validates the variables set above.
const { env } = await import("@/lib/env");
const { startAccordServer } = await import("@/lib/server/create-server");
const { defaultFastPaths } = await import("@/lib/server/fast-paths");
const server = await startAccordServer({
  appUrl: env.APP_URL,
  trustedProxies: env.TRUSTED_PROXIES,
  port: Number(port),
  dev,
  fastPaths: defaultFastPaths,
});

const workers = new AbortController();
const { startBackgroundJobs } = await import("./lib/background-jobs");
const jobs = startBackgroundJobs(workers.signal);

console.log(`\nAccord is serving on ${process.env.APP_URL}`);
if (demoAccounts) {
  console.log("Demo accounts (local use only):");
  for (const account of DEMO_ACCOUNTS)
    console.log(`  ${account.role.padEnd(8)} ${account.email}  /  ${account.password}`);
}

let stopping = false;
async function shutdown(code: number) {
  if (stopping) return;
  stopping = true;
  workers.abort();
  await server.close().catch(() => undefined);
  await jobs.catch(() => undefined);
  await database.stop();
  process.exit(code);
}
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => void shutdown(0));
