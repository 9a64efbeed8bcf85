// Importing a history of 66 versions of about 50 KB each on the embedded
// database (PGlite) must take ≤ 60 s. Generates the files deterministically
// (tests/fixtures/history-corpus.ts), starts its own PGlite in a temporary
// folder, and prints the time of each phase and the ratio to a baseline
// measured in the same run: a bare `pg` INSERT of the same 66 texts into a
// one-column table (the floor for writing that much text there).
//
//   npx tsx --conditions=react-server bench/import.ts [versions] [kilobytes] [port]
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { loadavg, tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { startEmbeddedPostgres } from "../lib/db/embedded-postgres";
import { applyMigrations } from "../prisma/migrate";
import { writeHistoryCorpus } from "../tests/fixtures/history-corpus";

const COUNT = Number(process.argv[2] ?? 66);
const KILOBYTES = Number(process.argv[3] ?? 50);
const PORT = Number(process.argv[4] ?? 4211);
const TARGET_MS = 60_000;

const work = await mkdtemp(path.join(tmpdir(), "accord-bench-import-"));
const folder = path.join(work, "history");
const server = await startEmbeddedPostgres({
  dataDir: path.join(work, "pglite"),
  port: PORT,
  maxConnections: 8,
});
try {
  const corpus = await writeHistoryCorpus(folder, { count: COUNT, kilobytes: KILOBYTES });
  const bytes = corpus.reduce((sum, f) => sum + Buffer.byteLength(f.text), 0);
  console.log(
    `load average ${loadavg()
      .map((n) => n.toFixed(2))
      .join(" ")}`,
  );
  console.log(
    `${COUNT} files, ${(bytes / 1024 / 1024).toFixed(1)} MB (${Math.round(bytes / COUNT / 1024)} KB each)`,
  );
  await applyMigrations(server.url);

  const client = new pg.Client({ connectionString: server.url });
  await client.connect();
  await client.query("CREATE TABLE baseline_texts (body text NOT NULL)");
  let started = performance.now();
  await client.query("BEGIN");
  for (const file of corpus) await client.query("INSERT INTO baseline_texts (body) VALUES ($1)", [file.text]);
  await client.query("COMMIT");
  const baselineMs = performance.now() - started;
  await client.query("DROP TABLE baseline_texts");
  await client.end();

  process.env.DATABASE_URL = server.url;
  process.env.DATABASE_EMBEDDED = "1";
  process.env.DATABASE_POOL_SIZE = "4";
  process.env.NEXTAUTH_SECRET ??= randomBytes(32).toString("hex");
  const { readHistoryFolder } = await import("../lib/agreements/import/read-history");
  const { importVersions, storeImportedRenderings } =
    await import("../lib/agreements/import/import-versions");
  const { pool } = await import("../lib/db");
  // As the CLI does: no requests to serve, so the renderings after the commit may use every core.
  (await import("../lib/agreements/render/pool")).useEveryCoreForRendering();

  started = performance.now();
  const { files, errors } = await readHistoryFolder(folder);
  if (errors.length > 0) throw new Error(JSON.stringify(errors));
  const readMs = performance.now() - started;
  const outcome = await importVersions(files, { via: "bench", storeRenderings: false });
  const importMs = performance.now() - started;
  if (!outcome.ok) throw new Error(JSON.stringify(outcome.errors));
  // What the CLI does next, after the commit: HTML and consecutive diffs, once, in the render worker.
  const renderStarted = performance.now();
  const rendered = await storeImportedRenderings(outcome.versionIds);
  const renderMs = performance.now() - renderStarted;
  if (outcome.imported !== COUNT) throw new Error(`imported ${outcome.imported} of ${COUNT}`);
  const warnings = outcome.entries.reduce((sum, e) => sum + e.warnings.length, 0);
  if (rendered !== COUNT) throw new Error(`rendered ${rendered} of ${COUNT}`);

  // Idempotency costs a second run nothing but reading and hashing.
  started = performance.now();
  const again = await importVersions((await readHistoryFolder(folder)).files, { via: "bench" });
  const againMs = performance.now() - started;
  if (!again.ok || again.imported !== 0) throw new Error("second run imported something");
  await pool.end();
  const { closeRenderPool } = await import("../lib/agreements/render/pool");
  await closeRenderPool();

  console.log(`baseline: bare INSERT of the ${COUNT} texts: ${baselineMs.toFixed(0)} ms`);
  console.log(
    `import (read, check, write, commit): ${(importMs / 1000).toFixed(1)} s ` +
      `(read and parse ${readMs.toFixed(0)} ms, ${warnings} warnings), ${(importMs / baselineMs).toFixed(1)}x the baseline; ` +
      `target ≤ ${TARGET_MS / 1000} s: ${importMs <= TARGET_MS ? "met" : "MISSED"}`,
  );
  console.log(
    `then storing HTML and consecutive diffs of all ${COUNT} (render worker, after the commit): ${(renderMs / 1000).toFixed(1)} s; ` +
      `total ${((importMs + renderMs) / 1000).toFixed(1)} s`,
  );
  console.log(`second run (all skipped): ${(againMs / 1000).toFixed(1)} s`);
} finally {
  await server.stop();
  await rm(work, { recursive: true, force: true });
}
