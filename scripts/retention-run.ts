// The retention purge now: `npm run retention:run` applies the policy of
// /admin/retention (docs/rights.md, "Retention") and records the purge in the
// audit log; `-- --dry-run` only counts what it would remove; `-- --json`
// prints the report as JSON. The worker runs the same purge once a day.
import { parseArgs } from "node:util";
import { ensureDatabase, ensureSecret, ensureSigningKey } from "./lib/runtime-env";

const { values } = parseArgs({
  options: { "dry-run": { type: "boolean", default: false }, json: { type: "boolean", default: false } },
});

ensureSecret();
ensureSigningKey();
const database = await ensureDatabase();
const { runRetention } = await import("@/lib/retention/purge");
const { describePurge } = await import("@/lib/retention/schedule");
const { pool } = await import("@/lib/db");
try {
  const report = await runRetention({ dryRun: values["dry-run"] });
  console.log(values.json ? JSON.stringify(report, null, 2) : `[retention] ${describePurge(report)}`);
} finally {
  await pool.end();
  await database.stop();
}
