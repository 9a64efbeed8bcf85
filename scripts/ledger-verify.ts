// npm run ledger:verify — rebuilds the consent projection from the ledger,
// re-checks every hash chain and every checkpoint (docs/ledger.md), prints
// each mismatch naming the event, and exits 1 on any problem.
import { fileURLToPath } from "node:url";
import pg from "pg";
import { ensureDatabase } from "./lib/runtime-env";
import { verifyLedger, type LedgerReport } from "../lib/consent/verify";

export { verifyLedger };

export function formatReport(report: LedgerReport): string {
  const lines = report.problems.map((problem) => `MISMATCH [${problem.kind}] ${problem.message}`);
  lines.push(
    `${report.events} events in ${report.subjects} chains; ${report.checkpoints} checkpoints covering ${report.checkpointedEvents} events; ` +
      (report.problems.length
        ? `${report.problems.length} problem(s).`
        : "no problems: the ledger is intact."),
  );
  return lines.join("\n");
}

async function main() {
  // DATABASE_URL, or the embedded database `npm start` uses when it is unset.
  const database = await ensureDatabase();
  const url = database.url;
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  try {
    const report = await verifyLedger(pool);
    console.log(formatReport(report));
    process.exitCode = report.problems.length ? 1 : 0;
  } finally {
    await pool.end();
    await database.stop();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
