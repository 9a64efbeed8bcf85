// npm run verify -- <export file> [--manifest <manifest.json>] [--log-key <verifier key>]
//                   [--since <earlier manifest.json | checkpoint note>] [--json]
// Checks a consent-log export offline: needs the file (and, for CSV, its
// manifest), never our database. Exit 0 when everything checks out, 1 when
// anything is broken, 2 when the file cannot be read.
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { verifyExportFile } from "../lib/ledger/export/verify-export-file";
import { formatReport } from "../lib/ledger/export/format-report";

const USAGE =
  "Usage: npm run verify -- <export.ndjson | export.csv> [--manifest <manifest.json>] [--log-key <verifier key>] [--since <earlier manifest.json | checkpoint>] [--json]";

let parsed: ReturnType<typeof parse>;
function parse() {
  return parseArgs({
    allowPositionals: true,
    options: {
      manifest: { type: "string" },
      "log-key": { type: "string" },
      since: { type: "string" },
      json: { type: "boolean" },
    },
  });
}
try {
  parsed = parse();
} catch (error) {
  console.error(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
  process.exit(2);
}
const { values, positionals } = parsed;
const file = positionals[0];
if (!file) {
  console.error(USAGE);
  process.exit(2);
}

try {
  const report = await verifyExportFile(file, {
    ...(values.manifest ? { manifestPath: values.manifest } : {}),
    ...(values["log-key"] ? { logKey: values["log-key"] } : {}),
    ...(values.since ? { since: readFileSync(values.since, "utf8") } : {}),
  });
  console.log(
    values.json ? JSON.stringify({ ...report, manifest: undefined }, null, 2) : formatReport(file, report),
  );
  process.exit(report.ok ? 0 : 1);
} catch (error) {
  console.error(`Cannot verify ${file}: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(2);
}
