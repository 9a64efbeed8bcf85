// Work that runs beside the web server inside `npm start`: the notification
// worker, the webhook dispatcher (lib/webhooks), the daily retention purge
// and the log's sequencer (leaves for new events, a signed checkpoint when the
// tree grew). All stop when the signal aborts. Imported only after
// the database and secrets are known (lib/env validates).
import { runWorkerLoop } from "@/lib/notifications/worker";
import { runDispatcherLoop } from "@/lib/webhooks/dispatcher";
import { sequenceNow } from "@/lib/ledger/log/public-log";
import { pool } from "@/lib/db";
import { sleep } from "@/lib/async/sleep";
import { isDatabaseUnavailable, reportDatabaseOutage } from "@/lib/db/outage";
import { retentionLoop } from "@/lib/retention/schedule";

const SEQUENCER_POLL_MS = 1_000;

/** Sequences new events every `pollMs` until the signal aborts. */
export async function sequencerLoop(
  signal: AbortSignal,
  { pollMs = SEQUENCER_POLL_MS, sequence = sequenceNow } = {},
): Promise<void> {
  while (!signal.aborted) {
    try {
      const run = await sequence();
      if (run.signed) console.info(`[ledger] checkpoint ${run.signed.treeSize}: ${run.signed.rootHash}`);
      for (const refused of run.refused)
        console.error(
          `[ledger] NO LEAF for event ${refused.eventId}: ${refused.reason} (not written by the app?)`,
        );
    } catch (error) {
      if (isDatabaseUnavailable(error)) reportDatabaseOutage("log sequencer", error);
      else console.error("[ledger] the sequencer stopped this run; will try again", error);
    }
    await sleep(pollMs, signal);
  }
}

export async function startBackgroundJobs(signal: AbortSignal): Promise<void> {
  await Promise.all([
    runWorkerLoop({ signal }),
    runDispatcherLoop({ signal }),
    sequencerLoop(signal),
    retentionLoop(signal),
  ]);
  await pool.end();
}
