// Work that runs beside the web server inside `npm start`: the notification
// worker and periodic ledger checkpoints. Both stop when the signal aborts.
// Imported only after the database and secret are known (lib/env validates).
import { runWorkerLoop } from "@/lib/notifications/worker";
import { checkpointIfDue } from "@/lib/ledger/checkpoint";
import { pool } from "@/lib/db";

const CHECKPOINT_POLL_MS = 60_000;

async function checkpointLoop(signal: AbortSignal): Promise<void> {
  while (!signal.aborted) {
    try {
      const checkpoint = await checkpointIfDue(pool);
      if (checkpoint)
        console.info(`[ledger] checkpoint over ${checkpoint.eventCount} event(s): ${checkpoint.merkleRoot}`);
    } catch (error) {
      console.error("[ledger] checkpoint failed; will try again", error);
    }
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, CHECKPOINT_POLL_MS);
      signal.addEventListener("abort", () => (clearTimeout(timer), resolve()), { once: true });
    });
  }
}

export async function startBackgroundJobs(signal: AbortSignal): Promise<void> {
  await Promise.all([runWorkerLoop({ signal }), checkpointLoop(signal)]);
  await pool.end();
}
