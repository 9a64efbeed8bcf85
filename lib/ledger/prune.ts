import "server-only";
// Pruning a subject's personal evidence (retention, erasure; docs/ledger.md
// §12): ip, user agent, locale and the idempotency key (which may be a
// client's free text) are removed from events by the SECURITY DEFINER
// function accord_prune_consent_evidence (migration
// 20261201182820_prune_consent_evidence). The stored hash, the chain links
// and the Merkle leaf stay, so chains, checkpoints, proofs and receipts keep
// verifying; verifiers report the events as "pruned".
import { z } from "zod";
import { pool } from "@/lib/db";
import { now } from "@/lib/clock";
import { sequenceNow } from "@/lib/ledger/log/public-log";

export type PruneTarget = { subjectIds: readonly string[] } | { eventIds: readonly string[] };

export interface PruneOptions {
  /** The time recorded as prunedAt (default: the clock). */
  at?: Date;
}

export interface PruneResult {
  /** Events pruned by this call. */
  pruned: string[];
  /** Events that were pruned before. */
  alreadyPruned: string[];
  /**
   * Events not yet under a signed checkpoint even after running the sequencer
   * (normally empty: an event appended while this ran). Call again later.
   */
  notYetInLog: string[];
}

const ids = z.array(z.uuid()).max(100_000);

interface OutcomeRow {
  event_id: string;
  outcome: "pruned" | "already_pruned" | "not_yet_in_log";
}

/**
 * Prunes the personal evidence fields of the given events, or of every event
 * of the given subjects. Idempotent. Events not yet under a signed checkpoint
 * (recorded a moment ago) cannot be pruned: when there are any, it runs the
 * sequencer and tries those again, so they are pruned too. The sequencer runs
 * only then: a retention run over events sequenced long ago does not pay for
 * it once per batch.
 * Throws on ids that are not UUIDs; unknown ids match nothing.
 */
export async function pruneConsentEvidence(
  target: PruneTarget,
  options: PruneOptions = {},
): Promise<PruneResult> {
  const eventIds = "eventIds" in target ? ids.parse(target.eventIds) : [];
  const subjectIds = "subjectIds" in target ? ids.parse(target.subjectIds) : [];
  const result: PruneResult = { pruned: [], alreadyPruned: [], notYetInLog: [] };
  if (eventIds.length === 0 && subjectIds.length === 0) return result;
  const at = options.at ?? now();
  const first = await prune(eventIds, subjectIds, at);
  const waiting = first.filter((row) => row.outcome === "not_yet_in_log").map((row) => row.event_id);
  let retried: OutcomeRow[] = [];
  if (waiting.length) {
    await sequenceNow();
    retried = await prune(waiting, [], at);
  }
  for (const row of [...first.filter((row) => row.outcome !== "not_yet_in_log"), ...retried]) {
    if (row.outcome === "pruned") result.pruned.push(row.event_id);
    else if (row.outcome === "already_pruned") result.alreadyPruned.push(row.event_id);
    else result.notYetInLog.push(row.event_id);
  }
  return result;
}

async function prune(eventIds: string[], subjectIds: string[], at: Date): Promise<OutcomeRow[]> {
  // Raw SQL: the function is the only way to prune (the runtime role cannot UPDATE consent_events).
  const { rows } = await pool.query<OutcomeRow>(
    "SELECT event_id::text, outcome FROM accord_prune_consent_evidence($1::uuid[], $2::uuid[], $3)",
    [eventIds, subjectIds, at],
  );
  return rows;
}
