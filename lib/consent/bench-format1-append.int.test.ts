// The consent bench's format 1 baseline (bench/consent-append.ts) does the
// real work of the old append: valid format 1 events (hashes that recompute,
// chains that link), the projection, replays, in its own copies of the
// ledger tables, never in the ledger.
import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, expect, it } from "vitest";
import { usePrivateAppDatabase } from "@/tests/helpers/private-app-database";
import { TEST_RUNTIME_ROLE } from "@/tests/helpers/test-database";
import { eventHash, GENESIS_HASH, type HashedEventFields } from "@/lib/ledger/event-hash";

let db: Awaited<ReturnType<typeof usePrivateAppDatabase>>;
let owner: pg.Pool;
let bench: typeof import("@/lib/consent/bench-format1-append");
let change: typeof import("@/lib/consent/change-purpose");
let accept: typeof import("@/lib/consent/accept-agreement");
let versions: typeof import("@/lib/agreements/versions");
const meta = { ipTruncated: "192.0.2.0", userAgent: 'vitest "quoted" é', locale: "en", gpc: false };

beforeAll(async () => {
  db = await usePrivateAppDatabase();
  owner = new pg.Pool({ connectionString: db.url, max: 2 });
  bench = await import("@/lib/consent/bench-format1-append");
  change = await import("@/lib/consent/change-purpose");
  accept = await import("@/lib/consent/accept-agreement");
  versions = await import("@/lib/agreements/versions");
  await owner.query(bench.BENCH_FORMAT1_SCHEMA_SQL);
  // The bench serves the app as the owner; here the services run as the runtime role.
  await owner.query(`GRANT USAGE ON SCHEMA bench_format1 TO ${TEST_RUNTIME_ROLE};
    GRANT SELECT, INSERT, UPDATE ON ALL TABLES IN SCHEMA bench_format1 TO ${TEST_RUNTIME_ROLE};
    GRANT USAGE ON SEQUENCE consent_events_position_seq TO ${TEST_RUNTIME_ROLE}`);
}, 120_000);

afterAll(async () => {
  await owner?.end();
  await db?.release();
});

it("appends valid format 1 events and their projection to the bench tables only", async () => {
  const { rows } = await owner.query<{ id: string }>(
    "INSERT INTO users (id, email, password_hash) VALUES (gen_random_uuid(), $1, 'x') RETURNING id::text",
    [`format1-${randomUUID()}@int.accord.test`],
  );
  const subjectId = rows[0]!.id;
  const version = (await versions.getVersionInEffect())!;
  expect(
    (
      await accept.acceptAgreement({
        subjectId,
        versionId: version.id,
        shownSha256: version.bodySha256,
        method: "WEB",
        meta,
      })
    ).ok,
  ).toBe(true);
  const before = await owner.query("SELECT count(*)::int AS n FROM public.consent_events");

  const options = (action: "grant" | "withdraw", idempotencyKey: string) => ({
    subjectId,
    purposeKey: "surveys",
    action,
    method: "API" as const,
    meta,
    idempotencyKey,
  });
  const first = await change.changePurposeConsent(options("grant", "api:one"), bench.benchFormat1Append);
  const second = await change.changePurposeConsent(options("withdraw", "api:two"), bench.benchFormat1Append);
  const replay = await change.changePurposeConsent(options("withdraw", "api:two"), bench.benchFormat1Append);
  expect(first.ok && second.ok && replay.ok).toBe(true);
  if (!first.ok || !second.ok || !replay.ok) return;
  expect(first.data.event.seq).toBe(1);
  expect(second.data.event.seq).toBe(2);
  expect(replay.data).toMatchObject({ replayed: true, event: { id: second.data.event.id } });

  const { rows: events } = await owner.query<HashedEventFields & { hash: string }>(
    `SELECT id::text, subject_id::text AS "subjectId", seq, action::text, version_id::text AS "versionId",
       version_number AS "versionNumber", purpose_key AS "purposeKey", notice_sha256 AS "noticeSha256", method::text,
       to_char(recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "recordedAt",
       ip_truncated AS "ipTruncated", user_agent AS "userAgent", locale, idempotency_key AS "idempotencyKey",
       prev_hash AS "prevHash", hash
     FROM bench_format1.consent_events WHERE subject_id = $1 ORDER BY seq`,
    [subjectId],
  );
  expect(events.map((event) => eventHash(event) === event.hash)).toEqual([true, true]);
  expect(events.map((event) => event.prevHash)).toEqual([GENESIS_HASH, events[0]!.hash]);
  const state = await owner.query(
    "SELECT granted, event_id::text FROM bench_format1.consent_states WHERE subject_id = $1",
    [subjectId],
  );
  expect(state.rows).toEqual([{ granted: false, event_id: second.data.event.id }]);
  const head = await owner.query(
    "SELECT seq, head_hash FROM bench_format1.consent_subjects WHERE subject_id = $1",
    [subjectId],
  );
  expect(head.rows).toEqual([{ seq: 2, head_hash: events[1]!.hash }]);
  // The ledger itself got nothing.
  expect((await owner.query("SELECT count(*)::int AS n FROM public.consent_events")).rows).toEqual(
    before.rows,
  );
});
