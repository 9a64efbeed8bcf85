// npm run ledger:verify — rebuilds the consent projection from the ledger,
// re-checks every hash chain and every checkpoint (docs/ledger.md), prints
// each mismatch naming the event, and exits 1 on any problem.
import { runLedgerCommand } from "./lib/ledger-command";
import { verifyLedger, type LedgerReport } from "../lib/ledger/verify-ledger";

export { verifyLedger };

export function formatReport(report: LedgerReport): string {
  const lines = report.problems.map((problem) => `MISMATCH [${problem.kind}] ${problem.message}`);
  lines.push(
    `${report.events} events in ${report.subjects} chains; ${report.leaves} leaves in the log, ${report.signedCheckpoints} signed checkpoints; ` +
      `${report.checkpoints} format-1 checkpoints covering ${report.checkpointedEvents} events; ` +
      (report.problems.length
        ? `${report.problems.length} problem(s).`
        : "no problems: the ledger is intact."),
  );
  return lines.join("\n");
}

runLedgerCommand(import.meta.url, async (pool) => {
  const report = await verifyLedger(pool);
  console.log(formatReport(report));
  process.exitCode = report.problems.length ? 1 : 0;
});
