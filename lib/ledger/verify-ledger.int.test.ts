// ledger:verify and checkpoints on a private database, so tampering here
// cannot disturb other test files. The tampering is done the way an insider
// would: as superuser, with the append-only trigger switched off.
import { spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import { createTestDatabase, type TestDatabase } from "../../tests/helpers/test-database";
import { seed } from "../../prisma/seed";
import { endPool } from "@/tests/helpers/end-pool";
import {
  sequenceAsFormat1,
  writeCheckpoints,
  writeSyntheticLedger,
} from "@/lib/ledger/testing/synthetic-ledger";

let database: TestDatabase;
let superuser: pg.Pool;
let lib: {
  verifyLedger: typeof import("@/lib/ledger/verify-ledger").verifyLedger;
  changePurposeConsent: typeof import("@/lib/consent/change-purpose").changePurposeConsent;
  acceptAgreement: typeof import("@/lib/consent/accept-agreement").acceptAgreement;
  getVersionInEffect: typeof import("@/lib/agreements/versions").getVersionInEffect;
  pool: pg.Pool;
};
let formatReport: typeof import("../../scripts/ledger-verify").formatReport;
const previousUrl = process.env.DATABASE_URL;
const meta = { ipTruncated: "192.0.2.0", userAgent: "vitest", locale: "en", gpc: false };

beforeAll(async () => {
  database = await createTestDatabase();
  await seed(database.url, { demoAccounts: false });
  // lib/db reads DATABASE_URL when first imported: this file's modules use the private database.
  process.env.DATABASE_URL = database.runtimeUrl;
  const [verify, change, accept, versions, db, script] = await Promise.all([
    import("@/lib/ledger/verify-ledger"),
    import("@/lib/consent/change-purpose"),
    import("@/lib/consent/accept-agreement"),
    import("@/lib/agreements/versions"),
    import("@/lib/db"),
    import("../../scripts/ledger-verify"),
  ]);
  lib = {
    verifyLedger: verify.verifyLedger,
    changePurposeConsent: change.changePurposeConsent,
    acceptAgreement: accept.acceptAgreement,
    getVersionInEffect: versions.getVersionInEffect,
    pool: db.pool,
  };
  formatReport = script.formatReport;
  superuser = new pg.Pool({ connectionString: database.url, max: 3 });
});

afterAll(async () => {
  if (superuser) await endPool(superuser);
  if (lib) await endPool(lib.pool);
  process.env.DATABASE_URL = previousUrl;
  await database?.drop();
});

/** A user with three events: acceptance, then two grants. */
async function subjectWithThreeEvents() {
  const { rows } = await superuser.query<{ id: string }>(
    "INSERT INTO users (id, email, password_hash) VALUES (gen_random_uuid(), $1, 'x') RETURNING id::text",
    [`verify-${randomUUID()}@int.accord.test`],
  );
  const subjectId = rows[0]!.id;
  const version = await lib.getVersionInEffect();
  await lib.acceptAgreement({
    subjectId,
    versionId: version!.id,
    shownSha256: version!.bodySha256,
    method: "WEB",
    meta,
  });
  for (const purposeKey of ["personalisation", "surveys"]) {
    const result = await lib.changePurposeConsent({
      subjectId,
      purposeKey,
      action: "grant",
      method: "WEB",
      meta,
      idempotencyKey: `web:${randomUUID()}`,
    });
    expect(result.ok).toBe(true);
  }
  const events = await superuser.query<{ id: string; seq: number }>(
    "SELECT id::text, seq FROM consent_events WHERE subject_id = $1 ORDER BY seq",
    [subjectId],
  );
  return { subjectId, events: events.rows };
}

/** Runs SQL as superuser with triggers off (session_replication_role = replica). */
async function asSuperuserWithoutTriggers(sql: string, values: unknown[]) {
  const client = await superuser.connect();
  try {
    await client.query("SET session_replication_role = replica");
    await client.query(sql, values);
  } finally {
    await client.query("RESET session_replication_role");
    client.release();
  }
}

/** Tampers with one event; returns how to put the original row back, so the tests stay independent. */
async function tamper(eventId: string, sql: string, values: unknown[]) {
  const { rows } = await superuser.query<{ row: unknown }>(
    "SELECT row_to_json(e) AS row FROM consent_events e WHERE id = $1",
    [eventId],
  );
  await asSuperuserWithoutTriggers(sql, values);
  return async () => {
    await asSuperuserWithoutTriggers("DELETE FROM consent_events WHERE id = $1", [eventId]);
    await asSuperuserWithoutTriggers(
      "INSERT INTO consent_events SELECT * FROM json_populate_record(NULL::consent_events, $1)",
      [JSON.stringify(rows[0]?.row)],
    );
    expect((await lib.verifyLedger(lib.pool)).problems).toEqual([]);
  };
}

describe("ledger:verify", () => {
  it("passes an intact ledger with format 1 range checkpoints", async () => {
    await subjectWithThreeEvents();
    expect(await writeCheckpoints(superuser)).toBeGreaterThan(0);
    await subjectWithThreeEvents();
    await writeCheckpoints(superuser);

    const report = await lib.verifyLedger(lib.pool);
    expect(report).toMatchObject({ subjects: 2, events: 6, checkpointedEvents: 6, problems: [] });
    expect(formatReport(report)).toContain("no problems");
  });

  it("names exactly the event edited by a superuser", async () => {
    const { subjectId, events } = await subjectWithThreeEvents();
    await writeCheckpoints(superuser);
    const target = events[1]!;
    const restore = await tamper(target.id, "UPDATE consent_events SET method = 'API' WHERE id = $1", [
      target.id,
    ]);

    const report = await lib.verifyLedger(lib.pool);
    // The altered hash, and the projection that still holds what the event said before.
    expect(report.problems.map((problem) => problem.kind).sort()).toEqual(["hash", "projection"]);
    for (const problem of report.problems) expect(problem).toMatchObject({ subjectId, eventId: target.id });
    expect(report.problems.find((problem) => problem.kind === "hash")).toMatchObject({ seq: 2 });
    expect(formatReport(report)).toContain(
      `MISMATCH [hash] event ${target.id} (subject ${subjectId}, seq 2)`,
    );

    // The command an operator runs: prints the mismatch and exits 1.
    const cli = spawnSync("npx", ["tsx", "--conditions=react-server", "scripts/ledger-verify.ts"], {
      env: { ...process.env, DATABASE_URL: database.url },
      encoding: "utf8",
    });
    expect(cli.status).toBe(1);
    expect(cli.stdout).toContain(`MISMATCH [hash] event ${target.id} (subject ${subjectId}, seq 2)`);
    await restore();
  });

  it("names exactly the event deleted by a superuser", async () => {
    const { subjectId, events } = await subjectWithThreeEvents();
    const target = events[1]!;
    const restore = await tamper(target.id, "DELETE FROM consent_events WHERE id = $1", [target.id]);

    const { problems } = await lib.verifyLedger(lib.pool);
    expect(problems.length).toBeGreaterThan(0);
    // Every problem points at the deleted event: its seq in its chain, or its id where the projection still cites it.
    for (const problem of problems) {
      expect(problem.subjectId).toBe(subjectId);
      expect(problem.seq === 2 || problem.eventId === target.id).toBe(true);
    }
    expect(problems.some((problem) => problem.kind === "missing" && problem.seq === 2)).toBe(true);
    expect(problems.some((problem) => problem.eventId === target.id)).toBe(true);
    await restore();
  });

  it("names the event whose hash was rewritten to match, and the checkpoint that covered it", async () => {
    const { subjectId, events } = await subjectWithThreeEvents();
    await writeCheckpoints(superuser);
    const target = events[1]!;
    // A careful forger recomputes the edited event's hash: the next event's prevHash still gives it away.
    const { rows } = await superuser.query(
      `SELECT id::text, subject_id::text, seq, action::text, version_id::text, version_number, purpose_key, notice_sha256,
         method::text, recorded_at, ip_truncated, user_agent, locale, idempotency_key, prev_hash, hash
       FROM consent_events WHERE id = $1`,
      [target.id],
    );
    const { recomputeHash } = await import("@/lib/ledger/verify-ledger");
    const forged = recomputeHash({ ...rows[0], method: "API" });
    const restore = await tamper(
      target.id,
      "UPDATE consent_events SET method = 'API', hash = $2 WHERE id = $1",
      [target.id, forged],
    );

    const { problems } = await lib.verifyLedger(lib.pool);
    const eventProblems = problems.filter((problem) => problem.kind !== "checkpoint");
    expect(eventProblems.map((problem) => problem.kind).sort()).toEqual(["chain", "projection"]);
    for (const problem of eventProblems) expect(problem).toMatchObject({ subjectId, eventId: target.id });
    expect(eventProblems.find((problem) => problem.kind === "chain")).toMatchObject({ seq: 2 });
    expect(problems.filter((problem) => problem.kind === "checkpoint")).toHaveLength(1);
    await restore();
  });
});

describe("ledger:verify on checkpoints whose txids differ in digit count", () => {
  let young: TestDatabase;
  let pool: pg.Pool;

  beforeAll(async () => {
    young = await createTestDatabase();
    await seed(young.url, { demoAccounts: false });
    pool = new pg.Pool({ connectionString: young.url, max: 1 });
  });

  afterAll(async () => {
    if (pool) await endPool(pool);
    await young?.drop();
  });

  it("orders checkpoints by txid as numbers, not as text (9 before 10)", async () => {
    await writeSyntheticLedger(pool, { subjects: 2, events: 3 });
    // As on a young cluster whose transaction ids cross from one digit to two:
    // the three events were written by transactions 8, 9 and 10.
    const client = await pool.connect();
    try {
      await client.query("SET session_replication_role = replica");
      await client.query(
        `UPDATE consent_events e SET txid = 7 + r.n
           FROM (SELECT id, row_number() OVER (ORDER BY position) AS n FROM consent_events) r WHERE r.id = e.id`,
      );
    } finally {
      await client.query("RESET session_replication_role");
      client.release();
    }
    expect(await writeCheckpoints(pool)).toBe(3);
    const { rows } = await pool.query<{ range: string }>(
      "SELECT txid_from || '-' || txid_to AS range FROM ledger_checkpoints ORDER BY id",
    );
    expect(rows.map((row) => row.range)).toEqual(["0-9", "9-10", "10-11"]);
    // A format 1 ledger as the migration leaves it: every event a leaf, then the first signed checkpoint.
    expect(await sequenceAsFormat1(pool)).toBe(3);
    const { sequenceAndSign } = await import("@/lib/ledger/log/sequencer");
    const { logSigner, logVerifiers } = await import("@/lib/ledger/log/signing-key");
    expect(
      (await sequenceAndSign(pool, { signer: logSigner(), verifiers: logVerifiers() })).signed,
    ).toMatchObject({
      treeSize: 3,
    });

    const report = await lib.verifyLedger(pool);
    expect(report.problems).toEqual([]);
    expect(report).toMatchObject({ events: 3, checkpoints: 3, checkpointedEvents: 3 });
  });
});
