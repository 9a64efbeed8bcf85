import "server-only";
import { sleep } from "@/lib/async/sleep";
import { runRetention, type PurgeReport } from "@/lib/retention/purge";

const DAY_MS = 86_400_000;

export function describePurge(report: PurgeReport): string {
  const counts = Object.entries(report.counts)
    .map(([kind, count]) => `${kind} ${count}`)
    .join(", ");
  const skipped = report.skipped.length ? `; skipped: ${report.skipped.join("; ")}` : "";
  return `${report.dryRun ? "would purge" : "purged"}: ${counts}; ${report.subjectsOnHold} subject(s) on hold${skipped}`;
}

/**
 * The retention purge inside the worker: once a minute after start, then once
 * a day, until the signal aborts. A failed run is logged and tried again the
 * next day; runs in several processes are serialised by the purge's own lock.
 */
export async function retentionLoop(
  signal: AbortSignal,
  { firstDelayMs = 60_000, intervalMs = DAY_MS, run = () => runRetention() } = {},
): Promise<void> {
  await sleep(firstDelayMs, signal);
  while (!signal.aborted) {
    try {
      console.info(`[retention] ${describePurge(await run())}`);
    } catch (error) {
      console.error("[retention] the purge failed; will try again", error);
    }
    await sleep(intervalMs, signal);
  }
}
