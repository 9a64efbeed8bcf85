// consent_subjects.states: the copy of a subject's consent states that status
// reads send (migration 20261202091442_consent_subject_states). The append
// keeps it in the statement that writes the consent_states row it copies;
// ledger:verify names a copy that does not match. Private database: some
// tests write the head rows as their owner.
import { randomUUID } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../tests/helpers/test-database";
import { seed } from "../../prisma/seed";
import { endPool } from "@/tests/helpers/end-pool";

let database: TestDatabase;
let owner: pg.Pool;
let lib: {
  pool: pg.Pool;
  changePurposeConsent: typeof import("@/lib/consent/change-purpose").changePurposeConsent;
  acceptAgreement: typeof import("@/lib/consent/accept-agreement").acceptAgreement;
  getVersionInEffect: typeof import("@/lib/agreements/versions").getVersionInEffect;
  verifyLedger: typeof import("@/lib/ledger/verify-ledger").verifyLedger;
  readSubjectStatus: typeof import("@/lib/service-api/status").readSubjectStatus;
};
const previousUrl = process.env.DATABASE_URL;
const meta = { ipTruncated: "192.0.2.0", userAgent: "vitest", locale: "en", gpc: false };

beforeAll(async () => {
  database = await createTestDatabase();
  await seed(database.url, { demoAccounts: false });
  process.env.DATABASE_URL = database.runtimeUrl;
  const [db, change, accept, versions, verify, status] = await Promise.all([
    import("@/lib/db"),
    import("@/lib/consent/change-purpose"),
    import("@/lib/consent/accept-agreement"),
    import("@/lib/agreements/versions"),
    import("@/lib/ledger/verify-ledger"),
    import("@/lib/service-api/status"),
  ]);
  lib = {
    pool: db.pool,
    changePurposeConsent: change.changePurposeConsent,
    acceptAgreement: accept.acceptAgreement,
    getVersionInEffect: versions.getVersionInEffect,
    verifyLedger: verify.verifyLedger,
    readSubjectStatus: status.readSubjectStatus,
  };
  owner = new pg.Pool({ connectionString: database.url, max: 2 });
});

afterAll(async () => {
  if (owner) await endPool(owner);
  if (lib) await endPool(lib.pool);
  process.env.DATABASE_URL = previousUrl;
  await database?.drop();
});

interface CopyEntry {
  granted: boolean;
  noticeSha256: string;
  method: string;
  updatedAt: string;
}

type Copy = Record<string, CopyEntry>;

async function copyOf(subjectId: string): Promise<Copy | null> {
  const { rows } = await owner.query<{ states: Copy | null }>(
    "SELECT states FROM consent_subjects WHERE subject_id = $1",
    [subjectId],
  );
  return rows[0]!.states;
}

/** consent_states of the subject in the copy's shape. */
async function statesOf(subjectId: string): Promise<Copy> {
  const { rows } = await owner.query<{
    purpose_key: string;
    granted: boolean;
    notice_sha256: string;
    method: string;
    updated_at: Date;
  }>(
    `SELECT purpose_key, granted, notice_sha256, method::text, updated_at FROM consent_states
      WHERE subject_id = $1`,
    [subjectId],
  );
  return Object.fromEntries(
    rows.map((row) => [
      row.purpose_key,
      {
        granted: row.granted,
        noticeSha256: row.notice_sha256,
        method: row.method,
        updatedAt: row.updated_at.toISOString(),
      },
    ]),
  );
}

/** A user who accepted the agreement in effect and made these purpose decisions, in order. */
async function subjectWith(decisions: [purposeKey: string, action: "grant" | "withdraw"][]) {
  const { rows } = await owner.query<{ id: string }>(
    "INSERT INTO users (id, email, password_hash) VALUES (gen_random_uuid(), $1, 'x') RETURNING id::text",
    [`states-${randomUUID()}@int.accord.test`],
  );
  const subjectId = rows[0]!.id;
  const version = await lib.getVersionInEffect();
  const accepted = await lib.acceptAgreement({
    subjectId,
    versionId: version!.id,
    shownSha256: version!.bodySha256,
    method: "WEB",
    meta,
  });
  expect(accepted.ok).toBe(true);
  for (const [purposeKey, action] of decisions) await decide(subjectId, purposeKey, action);
  return subjectId;
}

/** One purpose decision made on the web, through the ledger's append. */
async function decide(subjectId: string, purposeKey: string, action: "grant" | "withdraw") {
  const result = await lib.changePurposeConsent({
    subjectId,
    purposeKey,
    action,
    method: "WEB",
    meta,
    idempotencyKey: `web:${randomUUID()}`,
  });
  expect(result.ok).toBe(true);
}

describe("consent_subjects.states", () => {
  it("is null until the first purpose decision, then follows every grant and withdrawal in the same append", async () => {
    const subjectId = await subjectWith([]);
    expect(await copyOf(subjectId)).toBeNull();

    await decide(subjectId, "surveys", "grant");
    const afterGrant = await copyOf(subjectId);
    expect(afterGrant).toEqual(await statesOf(subjectId));
    expect(afterGrant).toEqual({ surveys: expect.objectContaining({ granted: true, method: "WEB" }) });

    await decide(subjectId, "personalisation", "grant");
    await decide(subjectId, "surveys", "withdraw");
    const copy = await copyOf(subjectId);
    expect(copy).toEqual(await statesOf(subjectId));
    expect(copy).toEqual({
      personalisation: expect.objectContaining({ granted: true }),
      surveys: expect.objectContaining({ granted: false }),
    });
    // What the status read sends is the copy.
    const status = await lib.readSubjectStatus(subjectId);
    const surveys = status.purposes.find((purpose) => purpose.key === "surveys");
    expect(surveys).toMatchObject({ granted: false });
    expect((await lib.verifyLedger(lib.pool)).problems).toEqual([]);
  });

  it("is filled for the subjects recorded before the migration, by the migration's own statement", async () => {
    const subjectId = await subjectWith([
      ["surveys", "grant"],
      ["personalisation", "withdraw"],
    ]);
    const expected = await statesOf(subjectId);
    // As before the migration: no copy.
    const client = await owner.connect();
    try {
      await client.query("SET session_replication_role = replica");
      await client.query("UPDATE consent_subjects SET states = NULL");
    } finally {
      await client.query("RESET session_replication_role");
      client.release();
    }
    const folder = readdirSync("prisma/migrations").find((name) => name.endsWith("_consent_subject_states"));
    const migration = readFileSync(path.join("prisma/migrations", folder!, "migration.sql"), "utf8");
    const backfill = migration
      .split("\n")
      .find((line) => line.startsWith("UPDATE consent_subjects s SET states"));
    expect(backfill).toBeDefined();
    await owner.query(backfill!);
    expect(await copyOf(subjectId)).toEqual(expected);
  });

  it("a copy edited with triggers off is named by ledger:verify, and nothing else is", async () => {
    const subjectId = await subjectWith([["surveys", "withdraw"]]);
    const original = await copyOf(subjectId);
    const forged = { ...original, surveys: { ...original!.surveys!, granted: true } };
    const client = await owner.connect();
    try {
      await client.query("SET session_replication_role = replica");
      await client.query("UPDATE consent_subjects SET states = $2 WHERE subject_id = $1", [
        subjectId,
        JSON.stringify(forged),
      ]);
      // Status reads send the copy: this is what a forger would want a service to see.
      expect(
        (await lib.readSubjectStatus(subjectId)).purposes.find((p) => p.key === "surveys"),
      ).toMatchObject({
        granted: true,
      });
      // (Filtered: an earlier test here wrote consent_states by hand, which ledger:verify also names.)
      const { problems } = await lib.verifyLedger(lib.pool);
      expect(problems.filter((problem) => problem.subjectId === subjectId)).toEqual([
        {
          kind: "projection",
          subjectId,
          message: `subject ${subjectId}: the copy of its consent states that status reads send (consent_subjects.states) does not match consent_states: "surveys" differs`,
        },
      ]);
      await client.query("UPDATE consent_subjects SET states = $2 WHERE subject_id = $1", [
        subjectId,
        JSON.stringify(original),
      ]);
    } finally {
      await client.query("RESET session_replication_role");
      client.release();
    }
    const { problems } = await lib.verifyLedger(lib.pool);
    expect(problems.filter((problem) => problem.subjectId === subjectId)).toEqual([]);
  });
});
