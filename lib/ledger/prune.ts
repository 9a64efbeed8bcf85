import "server-only";
// Pruning a subject's personal evidence (retention, erasure; docs/ledger.md
// §12): ip, user agent, locale and the idempotency key (which may be a
// client's free text) are removed from events by the SECURITY DEFINER
// function accord_prune_consent_evidence (migration
// 20261201182820_prune_consent_evidence). The stored hash, the chain links
// and the Merkle leaf stay, so chains, checkpoints, proofs and receipts keep
// verifying; verifiers report the events as "pruned".
// pruneSubjectsEvidence is the bulk path of the retention run: the same
// change through accord_prune_subjects_evidence (migration
// 20261202003000_prune_consent_evidence_counts), answering counts instead of
// a row per event.
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

export interface PruneCounts {
  /** Events pruned by this call. */
  pruned: number;
  /** Events that were pruned before (or by a concurrent call). */
  alreadyPruned: number;
  /** Events not yet under a signed checkpoint even after running the sequencer (call again later). */
  notYetInLog: number;
  /** Events of subjects under an open legal hold: never pruned. */
  onHold: number;
}

interface CountsRow {
  pruned: string;
  already_pruned: string;
  not_yet_in_log: string;
  on_hold: string;
}

/**
 * Prunes every event of the given subjects, like pruneConsentEvidence, but
 * answers only counts (the retention run's bulk path: no row per event), and
 * skips subjects under an open legal hold. When some events are not yet under
 * a signed checkpoint it runs the sequencer once and calls again, so those
 * are pruned too. Idempotent. Throws on ids that are not UUIDs.
 */
export async function pruneSubjectsEvidence(
  subjectIds: readonly string[],
  options: PruneOptions = {},
): Promise<PruneCounts> {
  const subjects = ids.parse(subjectIds);
  if (subjects.length === 0) return { pruned: 0, alreadyPruned: 0, notYetInLog: 0, onHold: 0 };
  const at = options.at ?? now();
  const first = await pruneCounts(subjects, at);
  if (first.notYetInLog === 0) return first;
  await sequenceNow();
  const second = await pruneCounts(subjects, at);
  // The second call sees the first call's events as already pruned.
  return { ...second, pruned: first.pruned + second.pruned, alreadyPruned: first.alreadyPruned };
}

async function pruneCounts(subjectIds: string[], at: Date): Promise<PruneCounts> {
  // Raw SQL: the function is the only way to prune (the runtime role cannot UPDATE consent_events).
  const { rows } = await pool.query<CountsRow>(
    `SELECT pruned::text, already_pruned::text, not_yet_in_log::text, on_hold::text
       FROM accord_prune_subjects_evidence($1::uuid[], $2)`,
    [subjectIds, at],
  );
  const row = rows[0]!;
  return {
    pruned: Number(row.pruned),
    alreadyPruned: Number(row.already_pruned),
    notYetInLog: Number(row.not_yet_in_log),
    onHold: Number(row.on_hold),
  };
}
