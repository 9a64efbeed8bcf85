// The notification worker and the webhook dispatcher on their own: `npm run
// worker` (or `-- --once` to send what is due and exit). `npm start` runs the
// same loops in-process. With DATABASE_URL unset it uses the embedded database, like `npm start`.
import { ensureDatabase, ensureSecret, ensureSigningKey } from "./lib/runtime-env";

ensureSecret();
ensureSigningKey();
const database = await ensureDatabase();
const { drainQueue, runWorkerLoop } = await import("@/lib/notifications/worker");
const { retentionLoop } = await import("@/lib/retention/schedule");
const { drainWebhooks, runDispatcherLoop } = await import("@/lib/webhooks/dispatcher");
const { pool } = await import("@/lib/db");

const once = process.argv.includes("--once");

if (once) {
  const report = await drainQueue();
  console.log(`[worker] sent ${report.sent}, retrying ${report.retrying}, failed ${report.failed}`);
  const hooks = await drainWebhooks();
  console.log(`[webhooks] delivered ${hooks.delivered}, retrying ${hooks.retrying}, failed ${hooks.failed}`);
} else {
  const controller = new AbortController();
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => controller.abort());
  // The daily retention purge runs beside the mail loop (docs/rights.md, "Retention").
  await Promise.all([
    runWorkerLoop({ signal: controller.signal }),
    runDispatcherLoop({ signal: controller.signal }),
    retentionLoop(controller.signal),
  ]);
}
await pool.end();
await database.stop();
