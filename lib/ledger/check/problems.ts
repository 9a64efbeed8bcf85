// The one vocabulary of ledger problems (docs/ledger.md §10): the live
// verifier (npm run ledger:verify), the export verifier (npm run verify) and
// the evidence page all report in these words, and print them one way.

export type ProblemKind =
  // An event and its chain (every checker).
  | "hash" //  the stored hash does not match the event's fields: the event was edited
  | "chain" // a link does not hold: the event it names was rewritten (hash recomputed)
  | "missing" // a gap in a chain: events were deleted
  | "order" // rows out of ledger order, or a subject's seq going backwards
  // The database's own state (live only).
  | "head"
  | "projection"
  // Checkpoints and the log.
  | "checkpoint" // a format-1 range checkpoint does not recompute
  | "log" //  a signed checkpoint, proof or tree does not hold
  | "leaf" // a leaf and its event disagree
  | "signature" // an event in the log without a valid log-key signature
  | "not_in_log" // an event the log owes a leaf
  // Files (exports).
  | "unreadable"
  | "manifest"
  | "count" // row counts disagree with the manifest
  | "file"; // the file's SHA-256 is not the manifest's

export interface LedgerProblem {
  kind: ProblemKind;
  message: string;
  eventId?: string;
  subjectId?: string;
  seq?: number;
  /** The line of an export file the event starts on. */
  line?: number;
  purposeKey?: string;
  checkpointId?: number;
}

export interface EventRef {
  id: string;
  subjectId: string;
  seq: number;
  line?: number;
}

export function describeEvent(event: EventRef): string {
  return `event ${event.id} (subject ${event.subjectId}, seq ${event.seq}${
    event.line === undefined ? "" : `, line ${event.line}`
  })`;
}

/** The fields a problem about one event carries. */
export function eventFields(event: EventRef): Pick<LedgerProblem, "eventId" | "subjectId" | "seq" | "line"> {
  return {
    eventId: event.id,
    subjectId: event.subjectId,
    seq: event.seq,
    ...(event.line === undefined ? {} : { line: event.line }),
  };
}

export function formatProblem(problem: LedgerProblem): string {
  return `MISMATCH [${problem.kind}] ${problem.message}`;
}

/**
 * A checker's verdict for people: the problems, one a line (at most `limit`),
 * then the summary lines of what was checked.
 */
export function formatProblems(
  problems: readonly LedgerProblem[],
  summary: readonly string[],
  limit = Number.POSITIVE_INFINITY,
): string {
  const lines = problems.slice(0, limit).map(formatProblem);
  if (problems.length > limit) lines.push(`… and ${problems.length - limit} more (use --json for all)`);
  lines.push(...summary);
  return lines.join("\n");
}
