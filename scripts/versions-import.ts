// npm run versions:import -- <folder> [--dry-run] [--json]
// Imports an organisation's existing history of agreement versions: every
// *.md file in the folder, with YAML front matter (effective, lastUpdated,
// title, label, material, summary, purposes), in date order. Imported
// versions are published, immutable and historical: no notifications, no
// re-consent. Running it again skips files already imported (by SHA-256).
// Exit codes: 0 done, 1 refused (nothing written), 2 bad arguments.
import { parseArgs } from "node:util";
import { stat } from "node:fs/promises";
import { ensureDatabase, ensureSecret } from "./lib/runtime-env";

function usage(message: string): never {
  console.error(`${message}\nUsage: npm run versions:import -- <folder> [--dry-run] [--json]`);
  process.exit(2);
}

let values: { "dry-run"?: boolean; json?: boolean };
let positionals: string[];
try {
  ({ values, positionals } = parseArgs({
    allowPositionals: true,
    options: { "dry-run": { type: "boolean", default: false }, json: { type: "boolean", default: false } },
  }));
} catch (error) {
  usage(error instanceof Error ? error.message : String(error));
}
const folder = positionals[0];
if (!folder || positionals.length > 1) usage("Give exactly one folder of Markdown files.");
if (!(await stat(folder).catch(() => null))?.isDirectory()) usage(`${folder} is not a folder.`);

const { readHistoryFolder } = await import("../lib/agreements/import/read-history");
const { files, errors } = await readHistoryFolder(folder);
if (errors.length > 0 || files.length === 0) {
  for (const { file, errors: problems } of errors) console.error(`${file}:\n  ${problems.join("\n  ")}`);
  if (files.length === 0 && errors.length === 0) console.error(`No .md files in ${folder}.`);
  console.error("Nothing imported.");
  process.exit(1);
}

ensureSecret();
const database = await ensureDatabase();
const { importVersions } = await import("../lib/agreements/import/import-versions");
// No requests to serve here: the renderings stored after the commit may use every core.
(await import("../lib/agreements/render/pool")).useEveryCoreForRendering();
const dryRun = values["dry-run"] ?? false;
const outcome = await importVersions(files, { dryRun, via: "cli" });
const { pool } = await import("../lib/db");
const { closeRenderPool } = await import("../lib/agreements/render/pool");
await closeRenderPool();
await pool.end();
await database.stop();

if (!outcome.ok) {
  for (const { file, errors: problems } of outcome.errors)
    console.error(`${file}:\n  ${problems.join("\n  ")}`);
  console.error("Nothing imported.");
  process.exit(1);
}
if (values.json) {
  console.log(JSON.stringify(outcome));
  process.exit(0);
}
for (const entry of outcome.entries) {
  const verb = entry.action === "skip" ? "already imported as" : dryRun ? "would import as" : "imported as";
  const label = entry.label ? ` "${entry.label}"` : "";
  console.log(
    `${entry.file}: ${verb} version ${entry.number}${label}, effective ${entry.effective}${entry.material ? ", material" : ""}`,
  );
  for (const warning of entry.warnings) console.log(`  warning: ${warning.message}`);
}
console.log(
  `${dryRun ? "Dry run: would import" : "Imported"} ${outcome.imported} version(s), skipped ${outcome.skipped} already imported, on ${database.description}.` +
    (outcome.imported > 0 && !dryRun
      ? ` Stored the HTML of ${outcome.rendered} (any other renders on first view).`
      : ""),
);
process.exit(0);
