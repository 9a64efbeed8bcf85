// npm run ledger:verify — rebuilds the consent projection from the ledger,
// re-checks every hash chain, every checkpoint and the log (docs/ledger.md),
// prints each mismatch naming the event, and exits 1 on any problem.
import { runLedgerCommand } from "./lib/ledger-command";
import { verifyLedger, type LedgerReport } from "../lib/ledger/verify-ledger";
import { formatProblems } from "../lib/ledger/check/problems";

export { verifyLedger };

export function formatReport(report: LedgerReport): string {
  return formatProblems(report.problems, [
    `${report.events} events in ${report.subjects} chains (${report.pruned} pruned); ${report.leaves} leaves in the log, ${report.signedCheckpoints} signed checkpoints; ` +
      `${report.checkpoints} format-1 checkpoints covering ${report.checkpointedEvents} events; ` +
      (report.problems.length
        ? `${report.problems.length} problem(s).`
        : "no problems: the ledger is intact."),
  ]);
}

runLedgerCommand(import.meta.url, async (pool) => {
  const report = await verifyLedger(pool);
  console.log(formatReport(report));
  process.exitCode = report.problems.length ? 1 : 0;
});
