import { type VerifyReport } from "@/lib/ledger/export/export-verifier";

const MAX_LISTED = 200;

/** The verifier's verdict for people: OK with what was checked, or each problem. */
export function formatReport(file: string, report: VerifyReport): string {
  const m = report.manifest;
  const lines = [
    `${report.ok ? "OK" : "FAILED"}: ${file}`,
    m
      ? `  export ${m.exportId} by ${m.exportedBy.email} at ${m.completedAt}, filters ${JSON.stringify(m.filters)}`
      : "  no manifest",
    `  ${report.rows} events of ${report.subjects} subjects: every event hash recomputed`,
    `  ${report.linksChecked} chain links checked, ${report.linksNotCheckable} not checkable (the previous event is not in the file)`,
    `  ${report.checkpointsVerified} checkpoint roots recomputed, ${report.checkpointsNotCheckable} not checkable (only part of their events are in the file); ${report.uncheckpointed} events not yet under a checkpoint`,
    `  file SHA-256 ${report.fileSha256}`,
  ];
  if (!report.ok) {
    lines.push(`  ${report.problems.length} problem(s):`);
    for (const problem of report.problems.slice(0, MAX_LISTED))
      lines.push(`  - [${problem.code}] ${problem.message}`);
    if (report.problems.length > MAX_LISTED)
      lines.push(`  … and ${report.problems.length - MAX_LISTED} more (use --json for all)`);
  }
  return lines.join("\n");
}
