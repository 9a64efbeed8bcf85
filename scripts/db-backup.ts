// npm run db:backup [-- <file>]: a backup of the embedded database
// (.data/pglite) as a .tar.gz, by default .data/backups/pglite-<time>.tar.gz.
// Stop `npm start` first: the folder is locked while it runs (the error names
// the process). For a PostgreSQL server (DATABASE_URL), use pg_dump.
import { backupEmbeddedDatabase } from "../lib/db/embedded-backup";
import { now } from "../lib/clock";
import { DATA_DIR } from "./lib/runtime-env";

if (process.env.DATABASE_URL) {
  console.error("DATABASE_URL is set: back up that PostgreSQL server with pg_dump (docs/deployment.md).");
  process.exit(2);
}
const stamp = now().toISOString().replace(/[:.]/g, "-");
const file = process.argv[2] ?? `${DATA_DIR}/backups/pglite-${stamp}.tar.gz`;
try {
  const { bytes } = await backupEmbeddedDatabase(`${DATA_DIR}/pglite`, file);
  console.log(`Backed up ${DATA_DIR}/pglite to ${file} (${(bytes / 1024).toFixed(0)} KiB).`);
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}
