// The frame of the ledger CLIs: they run only when started as a script (tests
// import their exports), on DATABASE_URL or the embedded database `npm start`
// uses when it is unset, and exit 1 on an unexpected error.
import { fileURLToPath } from "node:url";
import pg from "pg";
import { ensureDatabase, ensureSecret, ensureSigningKey } from "./runtime-env";

export function runLedgerCommand(moduleUrl: string, command: (pool: pg.Pool) => Promise<void>): void {
  if (!process.argv[1] || fileURLToPath(moduleUrl) !== process.argv[1]) return;
  withLedgerPool(command).catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}

async function withLedgerPool(command: (pool: pg.Pool) => Promise<void>): Promise<void> {
  ensureSecret();
  ensureSigningKey();
  const database = await ensureDatabase();
  const pool = new pg.Pool({ connectionString: database.url, max: 2 });
  try {
    await command(pool);
  } finally {
    await pool.end();
    await database.stop();
  }
}
