// On-demand ledger checkpoint: `npx tsx --conditions=react-server scripts/ledger-checkpoint.ts`.
// Periodic checkpoints: the worker loop calls checkpointIfDue(pool, now()).
import { fileURLToPath } from "node:url";
import pg from "pg";
import { checkpointIfDue, createCheckpoint } from "../lib/consent/checkpoint";

export { checkpointIfDue, createCheckpoint };

async function main() {
  const url = process.env.DATABASE_URL;
  if (!url) {
    console.error("DATABASE_URL is not set: cannot checkpoint the ledger.");
    process.exit(2);
  }
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
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
