// Publishing a material version with 1,000,000 users: the notifications must
// be queued (one set-based INSERT ... SELECT, in the publish transaction) in
// ≤ 15 s. Seeds its own fresh database; prints the time, rows/s and the ratio
// to a baseline measured in the same run: a bare INSERT ... SELECT of the same
// rows into an unindexed table (the floor for writing that many rows).
//
//   npx tsx --conditions=react-server bench/publish-notify.ts [users]
import { randomBytes } from "node:crypto";
import pg from "pg";
import { createTestDatabase } from "../tests/helpers/test-database";
import { seed } from "../prisma/seed";

const USERS = Number(process.argv[2] ?? 1_000_000);
const TARGET_MS = 15_000;
// Shaped like a real argon2id hash; nobody signs in during the bench.
const DUMMY_HASH =
  "$argon2id$v=19$m=19456,t=2,p=1$YmVuY2hzYWx0YmVuY2g$YmVuY2hoYXNoYmVuY2hoYXNoYmVuY2hoYXNoYmVuY2g";

const database = await createTestDatabase();
const client = new pg.Client({ connectionString: database.url });
try {
  await seed(database.url, { demoAccounts: false });
  await client.connect();

  let started = performance.now();
  await client.query(
    `INSERT INTO users (id, email, password_hash, created_at)
     SELECT gen_random_uuid(), 'bench-' || i || '@bench.accord.test', $1, now() - (i || ' seconds')::interval
     FROM generate_series(1, $2::int) i`,
    [DUMMY_HASH, USERS],
  );
  // Most users accepted version 1: the affected-user query joins the projection.
  await client.query(
    `INSERT INTO consent_subjects (subject_id, seq, head_hash, accepted_version_id, accepted_version_number, accepted_at, updated_at)
     SELECT u.id, 1, repeat('0', 64), v.id, 1, now(), now() FROM users u, agreement_versions v WHERE v.number = 1`,
  );
  await client.query("VACUUM ANALYZE users");
  await client.query("VACUUM ANALYZE consent_subjects");
  console.log(
    `seeded ${USERS.toLocaleString("en")} users in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );

  // Baseline: the same rows written with no indexes, constraints or transaction around them.
  await client.query(`CREATE UNLOGGED TABLE baseline_rows (LIKE notifications INCLUDING DEFAULTS) `);
  await client.query(`ALTER TABLE baseline_rows ALTER COLUMN id DROP DEFAULT`);
  await client.query(`CHECKPOINT`);
  started = performance.now();
  const baseline = await client.query(
    `INSERT INTO baseline_rows (id, run_id, user_id, email, status, attempts, next_attempt_at, created_at)
     SELECT row_number() OVER (), gen_random_uuid(), u.id, u.email, 'PENDING', 0, now(), now()
     FROM users u LEFT JOIN consent_subjects s ON s.subject_id = u.id
     WHERE u.deregistered_at IS NULL AND COALESCE(s.accepted_version_number, 0) < 2`,
  );
  const baselineMs = performance.now() - started;
  await client.query(`DROP TABLE baseline_rows`);
  await client.query(`CHECKPOINT`);

  // The real thing: the service the admin's publish button calls.
  process.env.DATABASE_URL = database.runtimeUrl;
  process.env.NEXTAUTH_SECRET ??= randomBytes(32).toString("hex");
  process.env.DATABASE_POOL_SIZE = "4";
  const { createDraft } = await import("../lib/agreements/drafts");
  const { publishVersion } = await import("../lib/agreements/publish");
  const { pool } = await import("../lib/db");
  const { rows: admins } = await client.query<{ id: string }>(
    `INSERT INTO users (id, email, password_hash, role) VALUES (gen_random_uuid(), 'bench-admin@bench.accord.test', $1, 'ADMIN') RETURNING id`,
    [DUMMY_HASH],
  );
  const admin = {
    actor: { id: admins[0]!.id, email: "bench-admin@bench.accord.test", role: "ADMIN" as const },
    meta: { ipTruncated: "127.0.0.0", userAgent: "bench" },
  };
  const draft = await createDraft(admin);
  if (!draft.ok) throw new Error(draft.message);
  const effective = new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 10);

  started = performance.now();
  const result = await publishVersion(admin, {
    versionId: draft.data.id,
    effectiveDate: effective,
    lastUpdated: new Date().toISOString().slice(0, 10),
    changeSummary: "Benchmark: a material change.",
    material: true,
  });
  const publishMs = performance.now() - started;
  if (!result.ok) throw new Error(result.message);
  await pool.end();

  const rowsPerSecond = (n: number, ms: number) => Math.round(n / (ms / 1000)).toLocaleString("en");
  console.log(
    `baseline: bare INSERT ... SELECT of ${baseline.rowCount?.toLocaleString("en")} rows: ${(baselineMs / 1000).toFixed(2)} s (${rowsPerSecond(baseline.rowCount ?? 0, baselineMs)} rows/s)`,
  );
  console.log(
    `publish:  material version ${result.data.number}, ${result.data.recipients.toLocaleString("en")} notifications queued in ${(publishMs / 1000).toFixed(2)} s (${rowsPerSecond(result.data.recipients, publishMs)} rows/s)`,
  );
  console.log(
    `ratio publish / baseline: ${(publishMs / baselineMs).toFixed(2)}×; target ≤ ${TARGET_MS / 1000} s: ${publishMs <= TARGET_MS ? "met" : "MISSED"}`,
  );
  process.exitCode = publishMs <= TARGET_MS ? 0 : 1;
} finally {
  await client.end().catch(() => {});
  await database.drop();
}
