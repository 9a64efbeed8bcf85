// On-demand ledger checkpoint: `npx tsx --conditions=react-server scripts/ledger-checkpoint.ts`.
// Periodic checkpoints: the worker loop calls checkpointIfDue(pool, now()).
import { runLedgerCommand } from "./lib/ledger-command";
import { checkpointIfDue, createCheckpoint } from "../lib/ledger/checkpoint";

export { checkpointIfDue, createCheckpoint };

runLedgerCommand(import.meta.url, async (pool) => {
  const checkpoint = await createCheckpoint(pool);
  console.log(
    checkpoint
      ? `Checkpoint ${checkpoint.id}: ${checkpoint.eventCount} events, txid [${checkpoint.txidFrom}, ${checkpoint.txidTo}), Merkle root ${checkpoint.merkleRoot}`
      : "No new settled events since the last checkpoint: nothing written.",
  );
});
