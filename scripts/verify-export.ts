// npm run verify -- <export file> [--manifest <manifest.json>] [--json]
// Checks a consent-log export offline: needs the file (and, for CSV, its
// manifest), never our database. Exit 0 when everything checks out, 1 when
// anything is broken, 2 when the file cannot be read.
import { verifyExportFile } from "../lib/ledger/export/verify-export-file";
import { formatReport } from "../lib/ledger/export/format-report";

const args = process.argv.slice(2);
const json = args.includes("--json");
const manifestAt = args.indexOf("--manifest");
const manifestPath = manifestAt >= 0 ? args[manifestAt + 1] : undefined;
const file = args.find((arg, i) => !arg.startsWith("--") && !(manifestAt >= 0 && i === manifestAt + 1));

if (!file) {
  console.error(
    "Usage: npm run verify -- <export.ndjson | export.csv> [--manifest <manifest.json>] [--json]",
  );
  process.exit(2);
}

try {
  const report = await verifyExportFile(file, manifestPath ? { manifestPath } : {});
  console.log(
    json ? JSON.stringify({ ...report, manifest: undefined }, null, 2) : formatReport(file, report),
  );
  process.exit(report.ok ? 0 : 1);
} catch (error) {
  console.error(`Cannot verify ${file}: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(2);
}
