import { type VerifyReport } from "@/lib/ledger/export/export-verifier";
import { formatProblems } from "@/lib/ledger/check/problems";

const MAX_LISTED = 200;

/** The verifier's verdict for people: OK with what was checked, or FAILED and each problem. */
export function formatReport(file: string, report: VerifyReport): string {
  const m = report.manifest;
  const summary = [
    `${report.ok ? "OK" : "FAILED"}: ${file}`,
    m
      ? `  export ${m.exportId} by ${m.exportedBy.email} at ${m.completedAt}, filters ${JSON.stringify(m.filters)}`
      : "  no manifest",
    `  ${report.rows} events of ${report.subjects} subjects: every event hash recomputed, ${report.pruned} pruned (hash as stored)`,
    `  ${report.linksChecked} chain links checked, ${report.linksNotCheckable} not checkable (the previous event is not in the file)`,
    `  ${report.checkpointsVerified} checkpoint roots recomputed, ${report.checkpointsNotCheckable} not checkable (only part of their events are in the file); ${report.uncheckpointed} events not yet under a checkpoint`,
    `  file SHA-256 ${report.fileSha256}`,
  ];
  const log = report.log;
  if (log)
    summary.push(
      `  log: signed checkpoint of ${log.treeSize} leaves verified with ${log.keyPinned ? "the log key given" : "the key named in the manifest (pin it with --log-key)"}; ${log.inCheckpoint} rows under it; ` +
        (log.rootRecomputed
          ? "its root recomputed from the file's leaves"
          : "root not recomputed (filtered export)"),
    );
  if (log?.since)
    summary.push(
      log.since.result === "consistent"
        ? `  --since: the earlier checkpoint of ${log.since.size} leaves is a prefix of this one`
        : log.since.result === "inconsistent"
          ? `  --since: the earlier checkpoint of ${log.since.size} leaves is NOT a prefix of this one`
          : `  --since: no consistency proof from ${log.since.size} in this filtered export's manifest: not checkable (export the whole ledger)`,
    );
  if (!report.ok) summary.push(`  ${report.problems.length} problem(s)`);
  return formatProblems(report.problems, summary, MAX_LISTED);
}
