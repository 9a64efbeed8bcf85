// The retention purge over 1,000,000 consent events of closed accounts
// (issue 11): `runRetention` (erasure of the accounts, then pruning of their
// events through pruneSubjectsEvidence, plus the other kinds) against one bare
// set-based UPDATE making the same change to the same rows of a copy of the
// table without triggers (with the table's indexes; and, as first measured,
// with only two of them), measured in the same run. Target ≤ 2×.
//
//   npx tsx --conditions=react-server bench/rights-retention.ts [--events 1000000]
//
// Setup (not timed): N valid events over N/50 users; leaves for all of them
// (sequenceAsFormat1) and a signed checkpoint (the sequencer); every account
// closed 1,100 days ago, past the grace and evidence periods.
import { readFileSync } from "node:fs";
import pg from "pg";
import { createTestDatabase } from "../tests/helpers/test-database";
import { seed } from "../prisma/seed";
import { sequenceAsFormat1, writeSyntheticLedger } from "../lib/ledger/testing/synthetic-ledger";
import { ensureSecret, ensureSigningKey } from "../scripts/lib/runtime-env";

const args = process.argv.slice(2);
const at = args.indexOf("--events");
const EVENTS = Number(at >= 0 ? args[at + 1] : 1_000_000);
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

ensureSecret();
ensureSigningKey();
const database = await createTestDatabase();
const owner = new pg.Pool({ connectionString: database.url, max: 2 });
try {
  await seed(database.url, { demoAccounts: false });
  let started = performance.now();
  const subjects = await writeSyntheticLedger(owner, {
    subjects: Math.max(1, Math.round(EVENTS / 50)),
    events: EVENTS,
    batchSize: 10_000,
  });
  console.log(
    `seeded ${EVENTS.toLocaleString("en")} events of ${subjects.length} subjects in ${seconds(performance.now() - started)}`,
  );
  started = performance.now();
  await sequenceAsFormat1(owner);
  process.env.DATABASE_URL = database.url;
  const { sequenceNow } = await import("@/lib/ledger/log/public-log");
  await sequenceNow();
  console.log(`leaves and a signed checkpoint in ${seconds(performance.now() - started)}`);
  await owner.query(
    `UPDATE users SET deregistered_at = now() - interval '1100 days' WHERE id = ANY($1::uuid[])`,
    [subjects],
  );
  // Two trigger-free copies of consent_events: one with the same indexes (the
  // change rewrites idempotency_key, which is indexed, so every index of the
  // row gets a new entry, as in consent_events), one with only the primary key
  // and (subject_id, seq) (the baseline of the first measurement, kept for
  // comparison).
  for (const copy of ["bench_events", "bench_events_narrow"])
    await owner.query(`CREATE TABLE ${copy} AS SELECT * FROM consent_events`);
  const { rows: indexes } = await owner.query<{ indexdef: string }>(
    `SELECT indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename = 'consent_events'`,
  );
  for (const { indexdef } of indexes)
    await owner.query(
      indexdef.replace(/ INDEX \S+ ON public\.consent_events /, " INDEX ON public.bench_events "),
    );
  await owner.query(`ALTER TABLE bench_events_narrow ADD PRIMARY KEY (id)`);
  await owner.query(`CREATE INDEX ON bench_events_narrow (subject_id, seq)`);
  await owner.query("VACUUM ANALYZE");

  const loadAverage = () => readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");
  const load = loadAverage();
  // The baseline: the same change to the same rows, one statement, no trigger, no function.
  const bareUpdate = async (copy: string) => {
    await owner.query("CHECKPOINT");
    const startedAt = performance.now();
    const result = await owner.query(
      `UPDATE ${copy} SET ip_truncated = NULL, user_agent = NULL, locale = NULL,
         idempotency_key = 'pruned:' || encode(sha256(convert_to(idempotency_key, 'UTF8')), 'hex'), pruned_at = now()
       WHERE subject_id IN (SELECT id FROM users WHERE deregistered_at < now() - interval '1095 days')`,
    );
    return { rows: result.rowCount ?? 0, ms: performance.now() - startedAt };
  };
  const bare = await bareUpdate("bench_events");
  const narrow = await bareUpdate("bench_events_narrow");
  await owner.query("CHECKPOINT");

  const { runRetention } = await import("@/lib/retention/purge");
  started = performance.now();
  const report = await runRetention();
  const purgeMs = performance.now() - started;
  const { rows } = await owner.query<{ n: string }>(
    `SELECT count(*) AS n FROM consent_events WHERE pruned_at IS NULL`,
  );

  console.log(`load average ${load} (before the bare UPDATEs), ${loadAverage()} (after runRetention)`);
  console.log(
    `bare UPDATE of ${bare.rows.toLocaleString("en")} rows (copy with the same indexes, no trigger): ${seconds(bare.ms)}`,
  );
  console.log(
    `bare UPDATE of ${narrow.rows.toLocaleString("en")} rows (copy with primary key and (subject_id, seq) only): ${seconds(narrow.ms)}`,
  );
  console.log(
    `runRetention: ${seconds(purgeMs)} — ${report.counts.accountsErased} accounts erased, ${report.counts.consentEventsPruned.toLocaleString("en")} events pruned; ${rows[0]?.n} left unpruned`,
  );
  console.log(
    `ratio ${(purgeMs / bare.ms).toFixed(2)}× the same-index copy, ${(purgeMs / narrow.ms).toFixed(2)}× the narrow copy (target ≤ 2×)`,
  );
  const { pool } = await import("@/lib/db");
  await pool.end();
} finally {
  await owner.end();
  await database.drop();
}
