// npm run db:restore -- <file>: replaces the embedded database (.data/pglite)
// with a backup made by `npm run db:backup`. The folder it replaces is kept
// as .data/pglite.before-restore-<time>. Stop `npm start` first (the folder is
// locked while it runs); afterwards, start it and run `npm run ledger:verify`.
import { restoreEmbeddedDatabase } from "../lib/db/embedded-backup";
import { now } from "../lib/clock";
import { DATA_DIR } from "./lib/runtime-env";

const file = process.argv[2];
if (!file) {
  console.error("Usage: npm run db:restore -- <backup.tar.gz>");
  process.exit(2);
}
if (process.env.DATABASE_URL) {
  console.error("DATABASE_URL is set: restore that PostgreSQL server with pg_restore (docs/deployment.md).");
  process.exit(2);
}
try {
  const stamp = now().toISOString().replace(/[:.]/g, "-");
  const { previous, consentEvents } = await restoreEmbeddedDatabase(`${DATA_DIR}/pglite`, file, stamp);
  console.log(
    `Restored ${DATA_DIR}/pglite from ${file}: ${consentEvents} consent events.` +
      (previous ? ` The folder it replaced is kept as ${previous}.` : ""),
  );
  console.log("Start the app (npm start), then check the ledger: npm run ledger:verify");
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}
