// On-demand ledger checkpoint: `npx tsx --conditions=react-server scripts/ledger-checkpoint.ts`.
// Periodic checkpoints: the worker loop calls checkpointIfDue(pool, now()).
import { fileURLToPath } from "node:url";
import pg from "pg";
import { ensureDatabase } from "./lib/runtime-env";
import { checkpointIfDue, createCheckpoint } from "../lib/consent/checkpoint";

export { checkpointIfDue, createCheckpoint };

async function main() {
  // DATABASE_URL, or the embedded database `npm start` uses when it is unset.
  const database = await ensureDatabase();
  const url = database.url;
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  try {
    const checkpoint = await createCheckpoint(pool);
    console.log(
      checkpoint
        ? `Checkpoint ${checkpoint.id}: ${checkpoint.eventCount} events, txid [${checkpoint.txidFrom}, ${checkpoint.txidTo}), Merkle root ${checkpoint.merkleRoot}`
        : "No new settled events since the last checkpoint: nothing written.",
    );
  } finally {
    await pool.end();
    await database.stop();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
