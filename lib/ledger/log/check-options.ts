import "server-only";
import { now } from "@/lib/clock";
import { MAX_MERGE_DELAY_SECONDS, type LogCheckOptions } from "@/lib/ledger/verify-log";
import { logVerifiers } from "@/lib/ledger/log/signing-key";

/** How the live verifier checks the log: this deployment's trusted keys, now, the promised merge delay. */
export function liveLogCheck(): LogCheckOptions {
  return { verifiers: logVerifiers(), now: now(), maxMergeDelaySeconds: MAX_MERGE_DELAY_SECONDS };
}
