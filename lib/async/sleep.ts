// Sleeps for a while, or until the signal aborts, whichever comes first.
// The long-running loops (notification worker, log sequencer) sleep through
// this between rounds. Each sleep removes its own abort listener when it ends,
// so a loop that sleeps every second does not pile listeners on one signal
// (that pile was the MaxListenersExceededWarning of a long-running `npm start`).
import { setTimeout as delay } from "node:timers/promises";

export async function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return;
  try {
    await delay(ms, undefined, { signal });
  } catch (error) {
    if (!signal.aborted) throw error;
  }
}
