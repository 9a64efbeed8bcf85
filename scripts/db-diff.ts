/**
 * Authors the next migration from your edits to prisma/schema.prisma; our
 * stand-in for `prisma migrate dev --create-only`, which needs the native
 * engine and a shadow database.
 *
 *   npm run db:diff -- <name>          diff and write prisma/migrations/<timestamp>_<name>/migration.sql
 *   npm run db:diff -- <name> --empty  write an empty migration for hand-written SQL (triggers, data fixes)
 *   npm run db:diff -- --check         exit 1 if schema.prisma has changes no migration covers (CI)
 *   (without the npm script: npx tsx scripts/db-diff.ts …)
 *
 * How it knows what changed: prisma/migrations/schema.snapshot.prisma is a
 * copy of the schema as of the last migration. We diff snapshot → schema.prisma
 * with the schema engine (no database needed), write the SQL as a new
 * migration, and copy schema.prisma over the snapshot. Commit all three
 * together. Diffing against the schema in git HEAD instead would break as
 * soon as someone commits a schema change and its migration separately; the
 * snapshot moves exactly when a migration is written. prisma/migrations.test.ts
 * fails when the snapshot and schema.prisma disagree, or when a database built
 * from the migrations does not match schema.prisma.
 *
 * Review the SQL before committing: the engine writes what the schema says,
 * and a rename, for instance, comes out as DROP COLUMN + ADD COLUMN.
 */
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import { MIGRATIONS_DIR, SCHEMA_PATH, diffSchemas } from "../prisma/migrate";

const SNAPSHOT_PATH = path.join(MIGRATIONS_DIR, "schema.snapshot.prisma");
const SNAPSHOT_HEADER =
  "// prisma/schema.prisma as of the latest migration, kept by scripts/db-diff.ts to\n" +
  "// diff the next one against. Do not edit by hand.\n\n";

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { empty: { type: "boolean", default: false }, check: { type: "boolean", default: false } },
  });

  const schema = await readFile(SCHEMA_PATH, "utf8");
  const snapshot = await readFile(SNAPSHOT_PATH, "utf8").catch(() => {
    throw new Error(
      `${path.relative(process.cwd(), SNAPSHOT_PATH)} is missing: it must hold the schema the existing migrations produce`,
    );
  });
  const sql = await diffSchemas(snapshot, schema);

  if (values.check) {
    if (sql === "") {
      console.log("No changes: every change to schema.prisma has a migration.");
      return;
    }
    console.error(
      `schema.prisma has changes without a migration; run \`npm run db:diff -- <name>\`:\n\n${sql}`,
    );
    process.exitCode = 1;
    return;
  }

  const name = slug(positionals[0] ?? "");
  if (!name || positionals.length > 1)
    throw new Error("usage: npm run db:diff -- <name> [--empty] | --check");
  if (sql === "" && !values.empty) {
    console.log(
      "No changes: schema.prisma matches the last migration. (--empty writes a migration for hand-written SQL.)",
    );
    return;
  }

  const directory = path.join(MIGRATIONS_DIR, `${await nextTimestamp()}_${name}`);
  await mkdir(directory);
  const body =
    sql === ""
      ? "-- Hand-written migration: add SQL here. It is sent to PostgreSQL whole, in one transaction.\n"
      : sql;
  await writeFile(path.join(directory, "migration.sql"), body);
  await writeFile(SNAPSHOT_PATH, SNAPSHOT_HEADER + schema);

  console.log(`Wrote ${path.relative(process.cwd(), path.join(directory, "migration.sql"))}`);
  if (sql !== "") console.log(`\n${sql}`);
}

/** Prisma-style folder names: lowercase words joined by underscores. */
function slug(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "")
    .slice(0, 100);
}

/**
 * UTC yyyymmddhhmmss, like Prisma. Migrations apply in folder-name order, so
 * when the clock is behind the newest migration (a skewed clock, or a
 * hand-picked name) we take the next second after it instead.
 */
async function nextTimestamp(): Promise<string> {
  const now = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
  const latest = (await readdir(MIGRATIONS_DIR, { withFileTypes: true }))
    .filter((entry) => entry.isDirectory() && /^\d{14}_/.test(entry.name))
    .map((entry) => entry.name.slice(0, 14))
    .sort()
    .at(-1);
  if (latest === undefined || now > latest) return now;
  return (BigInt(latest) + 1n).toString();
}

main().catch((error: unknown) => {
  console.error(`db:diff failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
