// Pruning personal evidence (docs/ledger.md §12): the fields go, the hash,
// chain links and leaf stay; every verifier reports the events as pruned and
// nothing else; the append-only trigger still refuses every other change.
import { createHash, randomUUID } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/tests/helpers/test-database";
import { seed } from "@/prisma/seed";
import { exportQuerySchema } from "@/lib/audit/filters";
import { verifyExportFile } from "@/lib/ledger/export/verify-export-file";
import type { Actor } from "@/lib/auth/actor";
import { endPool } from "@/tests/helpers/end-pool";

let database: TestDatabase;
let owner: pg.Pool;
const previousUrl = process.env.DATABASE_URL;
const meta = { ipTruncated: "192.0.2.0", userAgent: "=cmd|' /C calc'!A0", locale: "en-GB", gpc: false };

type Lib = {
  db: typeof import("@/lib/db");
  prune: typeof import("@/lib/ledger/prune");
  keys: typeof import("@/lib/ledger/log/signing-key");
  log: typeof import("@/lib/ledger/log/public-log");
  verify: typeof import("@/lib/ledger/verify-ledger");
  change: typeof import("@/lib/consent/change-purpose");
  accept: typeof import("@/lib/consent/accept-agreement");
  versions: typeof import("@/lib/agreements/versions");
  exports: typeof import("@/lib/audit/export/export-stream");
};
let lib: Lib;

beforeAll(async () => {
  database = await createTestDatabase();
  await seed(database.url, { demoAccounts: false });
  process.env.DATABASE_URL = database.runtimeUrl;
  delete (globalThis as { accordPool?: unknown }).accordPool;
  delete (globalThis as { accordPrisma?: unknown }).accordPrisma;
  lib = {
    db: await import("@/lib/db"),
    prune: await import("@/lib/ledger/prune"),
    keys: await import("@/lib/ledger/log/signing-key"),
    log: await import("@/lib/ledger/log/public-log"),
    verify: await import("@/lib/ledger/verify-ledger"),
    change: await import("@/lib/consent/change-purpose"),
    accept: await import("@/lib/consent/accept-agreement"),
    versions: await import("@/lib/agreements/versions"),
    exports: await import("@/lib/audit/export/export-stream"),
  };
  owner = new pg.Pool({ connectionString: database.url, max: 3 });
}, 120_000);

afterAll(async () => {
  if (owner) await endPool(owner);
  if (lib?.db) await endPool(lib.db.pool);
  process.env.DATABASE_URL = previousUrl;
  await database?.drop();
});

async function subjectWithEvents() {
  const { rows } = await owner.query<{ id: string }>(
    "INSERT INTO users (id, email, password_hash) VALUES (gen_random_uuid(), $1, 'x') RETURNING id::text",
    [`prune-${randomUUID()}@int.accord.test`],
  );
  const subjectId = rows[0]!.id;
  const version = (await lib.versions.getVersionInEffect())!;
  const accepted = await lib.accept.acceptAgreement({
    subjectId,
    versionId: version.id,
    shownSha256: version.bodySha256,
    method: "WEB",
    meta,
  });
  expect(accepted.ok).toBe(true);
  for (const action of ["grant", "withdraw"] as const) {
    const changed = await lib.change.changePurposeConsent({
      subjectId,
      purposeKey: "surveys",
      action,
      method: "API",
      meta,
      idempotencyKey: `api:customer-ref-${randomUUID()}`,
    });
    expect(changed.ok).toBe(true);
  }
  return subjectId;
}

interface StoredRow {
  id: string;
  ip_truncated: string | null;
  user_agent: string | null;
  locale: string | null;
  idempotency_key: string;
  hash: string;
  prev_hash: string;
  action: string;
  pruned_at: Date | null;
  event_hash: string | null;
}

async function rowsOf(subjectId: string): Promise<StoredRow[]> {
  const { rows } = await owner.query<StoredRow>(
    `SELECT e.id::text, e.ip_truncated, e.user_agent, e.locale, e.idempotency_key, e.hash, e.prev_hash,
            e.action::text, e.pruned_at, l.event_hash
       FROM consent_events e LEFT JOIN ledger_leaves l ON l.event_id = e.id WHERE e.subject_id = $1 ORDER BY e.seq`,
    [subjectId],
  );
  return rows;
}

const verifyNow = () =>
  lib.verify.verifyLedger(lib.db.pool, {
    verifiers: lib.keys.logVerifiers(),
    now: new Date(),
    maxMergeDelaySeconds: 3600,
  });

describe("pruneConsentEvidence", () => {
  let pruned: string;
  let kept: string;

  it("removes a subject's personal fields and keeps hash, links and leaf; the live verifier says pruned", async () => {
    pruned = await subjectWithEvents();
    kept = await subjectWithEvents();
    const before = await rowsOf(pruned);
    expect(before.every((r) => r.user_agent === meta.userAgent)).toBe(true);

    const result = await lib.prune.pruneConsentEvidence({ subjectIds: [pruned] });
    expect(result.pruned.sort()).toEqual(before.map((r) => r.id).sort());
    expect(result).toMatchObject({ alreadyPruned: [], notYetInLog: [] });

    const after = await rowsOf(pruned);
    after.forEach((row, i) => {
      const old = before[i]!;
      expect(row).toMatchObject({
        id: old.id,
        ip_truncated: null,
        user_agent: null,
        locale: null,
        hash: old.hash,
        prev_hash: old.prev_hash,
        action: old.action,
        event_hash: old.hash,
      });
      expect(row.idempotency_key).toMatch(/^pruned:[0-9a-f]{64}$/);
      expect(row.idempotency_key).not.toContain("customer-ref");
      expect(row.pruned_at).toBeInstanceOf(Date);
    });
    // The other subject is untouched.
    expect((await rowsOf(kept)).every((r) => r.pruned_at === null && r.user_agent === meta.userAgent)).toBe(
      true,
    );

    const report = await verifyNow();
    expect(report.problems).toEqual([]);
    expect(report.pruned).toBe(before.length);

    // A pruned event's inclusion proof still holds against a new checkpoint.
    await lib.log.sequenceNow();
    const proof = await lib.log.getInclusionProof(before[1]!.id);
    expect(proof.ok && proof.data.eventHash).toBe(before[1]!.hash);
  });

  it("is idempotent, prunes single events, and refuses ids that are not UUIDs", async () => {
    const again = await lib.prune.pruneConsentEvidence({ subjectIds: [pruned] });
    expect(again.pruned).toEqual([]);
    expect(again.alreadyPruned).toHaveLength(3);

    const one = (await rowsOf(kept))[2]!;
    const single = await lib.prune.pruneConsentEvidence({ eventIds: [one.id] });
    expect(single.pruned).toEqual([one.id]);
    expect((await rowsOf(kept)).map((r) => r.pruned_at !== null)).toEqual([false, false, true]);
    await expect(lib.prune.pruneConsentEvidence({ eventIds: ["1; DROP TABLE x"] })).rejects.toThrow();
    expect((await verifyNow()).problems).toEqual([]);
  });

  it("the append-only trigger still refuses every other UPDATE and DELETE, even from the owner", async () => {
    const id = (await rowsOf(kept))[0]!.id;
    const prunedId = (await rowsOf(pruned))[0]!.id;
    const refused = [
      ["UPDATE consent_events SET user_agent = NULL WHERE id = $1", [id]],
      ["UPDATE consent_events SET action = 'AGREEMENT_DECLINED' WHERE id = $1", [prunedId]],
      [
        "UPDATE consent_events SET pruned_at = now(), ip_truncated = NULL, user_agent = NULL, locale = NULL WHERE id = $1",
        [id],
      ],
      ["DELETE FROM consent_events WHERE id = $1", [prunedId]],
    ] as const;
    for (const [sql, values] of refused)
      await expect(owner.query(sql, [...values])).rejects.toMatchObject({ code: "ZA001" });

    // Even with the function's flag set, only the exact prune shape passes.
    const client = await owner.connect();
    try {
      await client.query("BEGIN");
      await client.query("SELECT set_config('accord.pruning', 'on', true)");
      await expect(
        client.query(
          "UPDATE consent_events SET pruned_at = now(), ip_truncated = NULL, user_agent = NULL, locale = NULL, method = 'SYSTEM' WHERE id = $1",
          [id],
        ),
      ).rejects.toMatchObject({ code: "ZA001" });
    } finally {
      await client.query("ROLLBACK");
      client.release();
    }
    // The runtime role cannot write the table at all.
    await expect(
      lib.db.pool.query("UPDATE consent_events SET locale = NULL WHERE id = $1", [id]),
    ).rejects.toMatchObject({
      code: "42501",
    });
  });

  it("with the flag set, an exact prune that also changes any other column is refused, a column added later too", async () => {
    const id = (await rowsOf(kept))[0]!.id;
    // The prune shape exactly (the key is the hash of the old key), so only the whole-row comparison can refuse.
    const prune = `ip_truncated = NULL, user_agent = NULL, locale = NULL, pruned_at = now(),
      idempotency_key = 'pruned:' || encode(sha256(convert_to(idempotency_key, 'UTF8')), 'hex')`;
    const client = await owner.connect();
    const attempt = async (extra: string) => {
      await client.query("SAVEPOINT attempt");
      try {
        await client.query(`UPDATE consent_events SET ${prune}${extra} WHERE id = $1`, [id]);
        return "allowed";
      } catch (error) {
        return (error as { code?: string }).code;
      } finally {
        await client.query("ROLLBACK TO SAVEPOINT attempt");
      }
    };
    try {
      await client.query("BEGIN");
      await client.query("SELECT set_config('accord.pruning', 'on', true)");
      expect(await attempt("")).toBe("allowed");
      for (const extra of [
        ", hash = repeat('1', 64)",
        ", prev_hash = repeat('1', 64)",
        ", seq = seq + 1000",
        ", recorded_at = recorded_at + interval '1 second'",
        ", signature = NULL",
        ", key_id = 'ffffffff'",
        ", txid = txid + 1",
        ", id = gen_random_uuid()",
      ])
        expect({ extra, outcome: await attempt(extra) }).toEqual({ extra, outcome: "ZA001" });

      // A column added after the guard was written is compared as well; adding it does not stop pruning.
      await client.query("ALTER TABLE consent_events ADD COLUMN added_later text NOT NULL DEFAULT 'x'");
      expect(await attempt("")).toBe("allowed");
      expect(await attempt(", added_later = 'y'")).toBe("ZA001");
    } finally {
      await client.query("ROLLBACK");
      client.release();
    }
    expect((await rowsOf(kept))[0]).toMatchObject({ pruned_at: null, user_agent: meta.userAgent });
  });

  it("an insider who marks a rewritten event as pruned is still caught", async () => {
    const target = (await rowsOf(kept))[1]!;
    const client = await owner.connect();
    try {
      await client.query("BEGIN");
      await client.query("SET LOCAL session_replication_role = replica");
      await client.query(
        "UPDATE consent_events SET pruned_at = now(), action = 'PURPOSE_WITHDRAWN' WHERE id = $1",
        [target.id],
      );
      await client.query("COMMIT");
    } finally {
      client.release();
    }
    const problems = (await verifyNow()).problems.filter((p) => p.eventId === target.id);
    expect(problems.map((p) => p.kind)).toContain("hash");
  });

  it("the export verifier reports pruned events as pruned, never as tampered", async () => {
    // A fresh database view without the insider's row: export only the pruned subject.
    const id = randomUUID();
    await owner.query(`INSERT INTO users (id, email, password_hash, role) VALUES ($1, $2, 'x', 'AUDITOR')`, [
      id,
      `auditor-${id}@int.accord.test`,
    ]);
    const auditor: Actor = { id, email: `auditor-${id}@int.accord.test`, role: "AUDITOR" };
    const purposeKeys = (await owner.query<{ key: string }>("SELECT DISTINCT key FROM purposes")).rows.map(
      (r) => r.key,
    );
    const dir = mkdtempSync(join(tmpdir(), "accord-prune-"));
    for (const format of ["ndjson", "csv"] as const) {
      const query = exportQuerySchema(purposeKeys).parse({ format, user: pruned });
      const started = await lib.exports.startExport({ query, actor: auditor, meta: null });
      if (!started.ok) throw new Error(started.message);
      const path = join(dir, `pruned.${format}`);
      writeFileSync(path, Buffer.from(await new Response(started.data.body).arrayBuffer()));
      if (format === "csv") {
        const manifests = await import("@/lib/audit/export/manifests");
        writeFileSync(
          `${path}.manifest.json`,
          JSON.stringify(await manifests.getExportManifest(started.data.exportId)),
        );
      }
      const report = await verifyExportFile(path);
      expect(report.problems).toEqual([]);
      expect(report).toMatchObject({ ok: true, rows: 3, pruned: 3, linksChecked: 3 });
    }
  });
});

describe("pruneSubjectsEvidence (the retention run's bulk path: counts, not a row per event)", () => {
  // Every column of a subject's events and leaves, keyed by event id, without the five personal ones.
  async function unchangedColumnsOf(subjectIds: string[]) {
    const { rows } = await owner.query<{ id: string; rest: unknown; leaf: unknown }>(
      `SELECT e.id::text,
              to_jsonb(e) - ARRAY['ip_truncated', 'user_agent', 'locale', 'idempotency_key', 'pruned_at'] AS rest,
              to_jsonb(l) AS leaf
         FROM consent_events e LEFT JOIN ledger_leaves l ON l.event_id = e.id
        WHERE e.subject_id = ANY ($1::uuid[]) ORDER BY e.id`,
      [subjectIds],
    );
    return rows;
  }
  const countsFor = async (subjectIds: string[]) =>
    (
      await owner.query(
        "SELECT pruned::int, already_pruned::int, not_yet_in_log::int, on_hold::int FROM accord_prune_subjects_evidence($1::uuid[], now())",
        [subjectIds],
      )
    ).rows[0];

  it("counts what it pruned, what was pruned before, what waits for the log and what is on hold; changes only the personal fields", async () => {
    const [a, b, held, other] = [
      await subjectWithEvents(),
      await subjectWithEvents(),
      await subjectWithEvents(),
      await subjectWithEvents(),
    ];
    await owner.query(
      `INSERT INTO legal_holds (id, subject_id, basis, reason, placed_at, placed_by_id)
       VALUES (gen_random_uuid(), $1, 'COURT', 'int test', now(), $2)`,
      [held, other],
    );
    // Straight after appending, the events are not under a signed checkpoint: nothing is pruned.
    expect(await countsFor([a])).toEqual({ pruned: 0, already_pruned: 0, not_yet_in_log: 3, on_hold: 0 });
    expect((await rowsOf(a)).every((r) => r.pruned_at === null)).toBe(true);

    await lib.log.sequenceNow();
    const before = await unchangedColumnsOf([a, b, held, other]);
    const storedBefore = new Map((await rowsOf(a)).concat(await rowsOf(b)).map((r) => [r.id, r]));
    // One event of b pruned on its own first, so the bulk call finds it already pruned.
    const single = await lib.prune.pruneConsentEvidence({ eventIds: [(await rowsOf(b))[0]!.id] });
    expect(single.pruned).toHaveLength(1);
    // A fourth event for a, appended after the checkpoint: the call runs the sequencer and prunes it too.
    const late = await lib.change.changePurposeConsent({
      subjectId: a,
      purposeKey: "surveys",
      action: "grant",
      method: "API",
      meta,
      idempotencyKey: `api:late-${randomUUID()}`,
    });
    expect(late.ok).toBe(true);

    const counts = await lib.prune.pruneSubjectsEvidence([a, b, held]);
    expect(counts).toEqual({ pruned: 6, alreadyPruned: 1, notYetInLog: 0, onHold: 3 });
    expect(await lib.prune.pruneSubjectsEvidence([a, b, held])).toEqual({
      pruned: 0,
      alreadyPruned: 7,
      notYetInLog: 0,
      onHold: 3,
    });
    expect(await lib.prune.pruneSubjectsEvidence([])).toEqual({
      pruned: 0,
      alreadyPruned: 0,
      notYetInLog: 0,
      onHold: 0,
    });
    await expect(lib.prune.pruneSubjectsEvidence(["1; DROP TABLE x"])).rejects.toThrow();

    // Nothing but the five personal columns changed, on any event of any of the subjects, and no leaf.
    const after = await unchangedColumnsOf([a, b, held, other]);
    expect(after.filter((row) => before.some((old) => old.id === row.id))).toEqual(before);
    for (const row of [...(await rowsOf(a)), ...(await rowsOf(b))]) {
      expect(row).toMatchObject({ ip_truncated: null, user_agent: null, locale: null, event_hash: row.hash });
      expect(row.pruned_at).toBeInstanceOf(Date);
      const old = storedBefore.get(row.id);
      if (old)
        expect(row.idempotency_key).toBe(
          `pruned:${createHash("sha256").update(old.idempotency_key, "utf8").digest("hex")}`,
        );
    }
    // The held subject and the subject not asked for are untouched.
    for (const subject of [held, other])
      expect(
        (await rowsOf(subject)).every(
          (r) =>
            r.pruned_at === null &&
            r.user_agent === meta.userAgent &&
            !r.idempotency_key.startsWith("pruned:"),
        ),
      ).toBe(true);

    const report = await verifyNow();
    expect(report.pruned).toBeGreaterThanOrEqual(7);
    expect(
      report.problems.filter((p) => p.eventId !== undefined && before.some((r) => r.id === p.eventId)),
    ).toEqual([]);
  });
});
