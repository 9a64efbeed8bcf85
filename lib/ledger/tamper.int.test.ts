// The tamper matrix of issue 10, each row done as an insider would (the
// owner of the tables, triggers off where needed) and each row detected; the
// test names who detects it. Private database: the rows rewrite history.
//
// | tamper                                                    | detected by                                              |
// | --------------------------------------------------------- | -------------------------------------------------------- |
// | one event's action or purpose changed                     | ledger:verify (hash, signature), naming the event         |
// | middle event deleted                                      | ledger:verify (missing, leaf)                             |
// | last event deleted, head and projection fixed             | ledger:verify (leaf: its event is gone); the receipt holder (the log still proves it) |
// | same, before any checkpoint covered it                    | the holder of the signed event: no leaf after the merge delay |
// | chain rewritten consistently, hashes recomputed           | ledger:verify (leaf: the leaves hold the old hashes)      |
// | same, plus the log rebuilt and re-signed with the log key | a witness that saw an earlier checkpoint (fork); a receipt issued before it (rewritten) |
//
// The rebuilt-log row runs second, while the log holds no other tampering, so
// the rebuilt tree has the size the witness saw: a fork, not a rollback.
// | forged event appended with a plain INSERT, head fixed     | the sequencer (no leaf: not signed); ledger:verify (not_in_log) |
import { randomUUID } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../tests/helpers/test-database";
import { seed } from "../../prisma/seed";
import { eventHash, type HashedEventFields } from "@/lib/ledger/event-hash";
import { formatVerifierKey } from "@/lib/ledger/note";
import type { ConsentReceipt } from "@/lib/consent/receipt";
import type { LogClient } from "@/lib/ledger/witness";
import type { HolderLogClient, HeldEvent } from "@/lib/ledger/holder-check";
import { endPool } from "@/tests/helpers/end-pool";

let database: TestDatabase;
let owner: pg.Pool;
const previousUrl = process.env.DATABASE_URL;
const meta = { ipTruncated: "192.0.2.0", userAgent: "vitest", locale: "en", gpc: false };

type Lib = {
  db: typeof import("@/lib/db");
  log: typeof import("@/lib/ledger/log/public-log");
  keys: typeof import("@/lib/ledger/log/signing-key");
  sequencer: typeof import("@/lib/ledger/log/sequencer");
  verify: typeof import("@/lib/ledger/verify-ledger");
  witness: typeof import("@/lib/ledger/witness");
  holder: typeof import("@/lib/ledger/holder-check");
  signature: typeof import("@/lib/ledger/event-signature");
  change: typeof import("@/lib/consent/change-purpose");
  accept: typeof import("@/lib/consent/accept-agreement");
  receipts: typeof import("@/lib/consent/get-receipt");
  versions: typeof import("@/lib/agreements/versions");
};
let lib: Lib;

beforeAll(async () => {
  database = await createTestDatabase();
  await seed(database.url, { demoAccounts: false });
  process.env.DATABASE_URL = database.runtimeUrl;
  lib = {
    db: await import("@/lib/db"),
    log: await import("@/lib/ledger/log/public-log"),
    keys: await import("@/lib/ledger/log/signing-key"),
    sequencer: await import("@/lib/ledger/log/sequencer"),
    verify: await import("@/lib/ledger/verify-ledger"),
    witness: await import("@/lib/ledger/witness"),
    holder: await import("@/lib/ledger/holder-check"),
    signature: await import("@/lib/ledger/event-signature"),
    change: await import("@/lib/consent/change-purpose"),
    accept: await import("@/lib/consent/accept-agreement"),
    receipts: await import("@/lib/consent/get-receipt"),
    versions: await import("@/lib/agreements/versions"),
  };
  owner = new pg.Pool({ connectionString: database.url, max: 3 });
});

afterAll(async () => {
  if (owner) await endPool(owner);
  if (lib?.db) await endPool(lib.db.pool);
  process.env.DATABASE_URL = previousUrl;
  await database?.drop();
});

/** The log as a witness or a holder sees it: its public answers, from the services behind the routes. */
function logClient(): LogClient & HolderLogClient {
  return {
    checkpoint: async () => {
      const latest = await lib.log.latestCheckpoint();
      if (!latest) throw new Error("no checkpoint");
      return lib.log.publishedNote(latest);
    },
    consistency: async (from, to) => {
      const answer = await lib.log.getConsistencyProof(from, to);
      if (!answer.ok) throw new Error(answer.message);
      return answer.data.proof.map((p) => Buffer.from(p, "base64"));
    },
    submit: async (cosigned) => {
      const answer = await lib.log.acceptCosignatures(cosigned);
      if (!answer.ok) throw new Error(answer.message);
    },
    verifierKey: async () => formatVerifierKey(lib.keys.logSigner()),
    inclusion: async (eventId) => {
      const answer = await lib.log.getInclusionProof(eventId);
      if (!answer.ok) return null;
      const { leafIndex, treeSize, eventHash: hash, proof } = answer.data;
      return { leafIndex, treeSize, eventHash: hash, proof: proof.map((p) => Buffer.from(p, "base64")) };
    },
  };
}

const keys = () => ({ signer: lib.keys.logSigner(), verifiers: lib.keys.logVerifiers() });
const sequence = () => lib.sequencer.sequenceAndSign(lib.db.pool, keys());
const verifyAt = (now: Date) =>
  lib.verify.verifyLedger(lib.db.pool, {
    verifiers: lib.keys.logVerifiers(),
    now,
    maxMergeDelaySeconds: 3600,
  });
const later = () => new Date(Date.now() + 2 * 3600 * 1000);

async function subjectWithEvents(grants: string[] = ["personalisation", "surveys"]) {
  const { rows } = await owner.query<{ id: string }>(
    "INSERT INTO users (id, email, password_hash) VALUES (gen_random_uuid(), $1, 'x') RETURNING id::text",
    [`tamper-${randomUUID()}@int.accord.test`],
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
  for (const purposeKey of grants) {
    const granted = await lib.change.changePurposeConsent({
      subjectId,
      purposeKey,
      action: "grant",
      method: "API",
      meta,
      idempotencyKey: `api:${randomUUID()}`,
    });
    expect(granted.ok).toBe(true);
  }
  return { subjectId, events: await eventsOf(subjectId) };
}

interface Row extends HashedEventFields {
  hash: string;
  signature: string | null;
  keyId: string | null;
}

async function eventsOf(subjectId: string): Promise<Row[]> {
  const { rows } = await owner.query<Row>(
    `SELECT id::text, subject_id::text AS "subjectId", seq, action::text, version_id::text AS "versionId",
       version_number AS "versionNumber", purpose_key AS "purposeKey", notice_sha256 AS "noticeSha256", method::text,
       to_char(recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "recordedAt",
       ip_truncated AS "ipTruncated", user_agent AS "userAgent", locale, idempotency_key AS "idempotencyKey",
       prev_hash AS "prevHash", hash, signature, key_id AS "keyId"
     FROM consent_events WHERE subject_id = $1 ORDER BY seq`,
    [subjectId],
  );
  return rows;
}

/** As the owner with triggers off: what a DBA or an attacker with the owner's password can do. */
async function asInsider(statements: [string, unknown[]][]) {
  const client = await owner.connect();
  try {
    await client.query("BEGIN");
    await client.query("SET LOCAL session_replication_role = replica");
    for (const [sql, values] of statements) await client.query(sql, values);
    await client.query("COMMIT");
  } finally {
    client.release();
  }
}

function held(receipt: ConsentReceipt): HeldEvent {
  const e = receipt.evidence;
  return {
    fields: {
      id: e.eventId,
      subjectId: e.subjectId,
      seq: e.seq,
      action: e.action,
      versionId: e.versionId,
      versionNumber: e.versionNumber,
      purposeKey: e.purposeKey,
      noticeSha256: e.noticeSha256,
      method: e.method,
      recordedAt: e.recordedAt,
      ipTruncated: e.ipTruncated,
      userAgent: e.userAgent,
      locale: e.locale,
      idempotencyKey: e.idempotencyKey,
      prevHash: e.prevHash,
    },
    hash: e.hash,
    signature: e.signature,
    log: receipt.log,
  };
}

const kinds = (problems: { kind: string; eventId?: string }[], eventId: string) =>
  [...new Set(problems.filter((p) => p.eventId === eventId).map((p) => p.kind))].sort();

describe("the tamper matrix", () => {
  let witnessState: string;

  it("starts intact: the log is signed, a witness cosigns it, ledger:verify finds nothing", async () => {
    await subjectWithEvents();
    const run = await sequence();
    expect(run.signed?.treeSize).toBe(3);
    witnessState = mkdtempSync(path.join(tmpdir(), "accord-witness-"));
    const { verifierKey } = lib.witness.witnessKey(witnessState);
    expect((await lib.log.addWitness(verifierKey, null)).ok).toBe(true);
    const outcome = await lib.witness.witnessOnce({ stateDir: witnessState, client: logClient() });
    expect(outcome).toMatchObject({ status: "witnessed", size: 3, submitted: true });
    expect(await lib.log.witnessOverview()).toMatchObject([{ latestSize: 3, cosignatures: 1 }]);
    expect((await verifyAt(later())).problems).toEqual([]);
  });

  it("same, plus the log rebuilt and re-signed with the log key: a witness and an earlier receipt both catch it", async () => {
    const { subjectId, events } = await subjectWithEvents(["surveys"]);
    const receipt = (await lib.receipts.getConsentReceipt(subjectId, events[1]!.id))!;
    await sequence();
    expect(await lib.witness.witnessOnce({ stateDir: witnessState, client: logClient() })).toMatchObject({
      status: "witnessed",
    });
    // The worst insider: owner of the tables AND holder of the log key. Every
    // event is rewritten consistently and re-signed; the tree is rebuilt from
    // scratch and a new checkpoint signed. The database is consistent again.
    const rewritten = rewriteChain(events, 1).map((e) => ({
      ...e,
      signature: lib.signature.signEventContent(e, lib.keys.logSigner()),
    }));
    await asInsider([
      ...rewritten.map((e): [string, unknown[]] => [
        'UPDATE consent_events SET action = $2::"ConsentAction", prev_hash = $3, hash = $4, signature = $5 WHERE id = $1',
        [e.id, e.action, e.prevHash, e.hash, e.signature],
      ]),
      [
        // The states are deleted below: so is their copy on the head row.
        "UPDATE consent_subjects SET head_hash = $2, states = NULL WHERE subject_id = $1",
        [subjectId, rewritten.at(-1)!.hash],
      ],
      ["DELETE FROM consent_states WHERE subject_id = $1", [subjectId]],
      ["DELETE FROM ledger_cosignatures", []],
      ["DELETE FROM ledger_tree_checkpoints", []],
      ["DELETE FROM ledger_tree_nodes", []],
      ["DELETE FROM ledger_leaves", []],
      ["UPDATE ledger_tree_state SET tree_size = 0, horizon_txid = 0", []],
    ]);
    await lib.sequencer.sequenceAndSign(owner, keys());
    // A verifier inside the database sees a consistent, signed log (only the
    // purpose states the insider did not bother to rebuild).
    expect(
      (await verifyAt(new Date())).problems.filter(
        (p) => p.kind === "log" || (p.subjectId === subjectId && p.kind !== "projection"),
      ),
    ).toEqual([]);

    const witnessed = await lib.witness.witnessOnce({ stateDir: witnessState, client: logClient() });
    expect(witnessed).toMatchObject({ status: "fork" });
    expect(lib.witness.EXIT_CODES[witnessed.status]).toBe(5);

    const report = await lib.holder.checkHeldEvent(held(receipt), lib.keys.logSigner(), logClient(), {
      now: new Date(),
      maxMergeDelaySeconds: 3600,
    });
    expect(report.problems.map((p) => p.code)).toEqual(["rewritten"]);
  });

  it("one event's action or purpose changed: ledger:verify names the event", async () => {
    const { events } = await subjectWithEvents();
    await sequence();
    const target = events[1]!;
    await asInsider([
      ["UPDATE consent_events SET purpose_key = 'third-party-sharing' WHERE id = $1", [target.id]],
    ]);
    expect(kinds((await verifyAt(new Date())).problems, target.id)).toEqual([
      "hash",
      "projection",
      "signature",
    ]);
    await asInsider([
      ["UPDATE consent_events SET purpose_key = $2 WHERE id = $1", [target.id, target.purposeKey]],
    ]);
  });

  it("middle event deleted: ledger:verify reports it missing and its leaf orphaned", async () => {
    const { subjectId, events } = await subjectWithEvents();
    const run = await sequence();
    expect(run).toMatchObject({ sequenced: 3, refused: [] });
    expect(run.signed?.treeSize).toBe(run.treeSize);
    const target = events[1]!;
    await asInsider([["DELETE FROM consent_events WHERE id = $1", [target.id]]]);
    const { problems } = await verifyAt(new Date());
    expect(problems.some((p) => p.kind === "missing" && p.subjectId === subjectId && p.seq === 2)).toBe(true);
    expect(problems.some((p) => p.kind === "leaf" && p.message.includes(target.hash))).toBe(true);
  });

  it("last event deleted, head and projection fixed: the log keeps its leaf, and the receipt still proves it", async () => {
    const { subjectId, events } = await subjectWithEvents(["surveys"]);
    const last = events.at(-1)!;
    const receipt = (await lib.receipts.getConsentReceipt(subjectId, last.id))!;
    expect(receipt.log?.leafIndex).toBeGreaterThanOrEqual(0);
    await asInsider([
      ["DELETE FROM consent_events WHERE id = $1", [last.id]],
      ["DELETE FROM consent_states WHERE subject_id = $1", [subjectId]],
      [
        "UPDATE consent_subjects SET seq = 1, head_hash = $2, states = NULL WHERE subject_id = $1",
        [subjectId, events[0]!.hash],
      ],
    ]);
    const { problems } = await verifyAt(new Date());
    expect(problems.filter((p) => p.message.includes(last.hash)).map((p) => p.kind)).toEqual(["leaf"]);
    // The holder: the log still has the event, under the receipt's hash.
    const report = await lib.holder.checkHeldEvent(held(receipt), lib.keys.logSigner(), logClient(), {
      now: new Date(),
      maxMergeDelaySeconds: 3600,
    });
    expect(report.ok).toBe(true);
  });

  it("same, before any checkpoint covered it: the holder of the signed event sees the log break its promise", async () => {
    const { subjectId, events } = await subjectWithEvents(["surveys"]);
    const last = events.at(-1)!;
    // The API answer carries the signed event: what its holder keeps (docs/ledger.md §11).
    const promise: HeldEvent = { fields: last, hash: last.hash, signature: last.signature };
    await asInsider([
      ["DELETE FROM consent_events WHERE id = $1", [last.id]],
      ["DELETE FROM consent_states WHERE subject_id = $1", [subjectId]],
      [
        "UPDATE consent_subjects SET seq = 1, head_hash = $2, states = NULL WHERE subject_id = $1",
        [subjectId, events[0]!.hash],
      ],
    ]);
    await sequence();
    // Nothing inside the database can tell: the chain, head and projection agree.
    expect((await verifyAt(later())).problems.filter((p) => p.subjectId === subjectId)).toEqual([]);
    const options = { maxMergeDelaySeconds: 3600 };
    const soon = await lib.holder.checkHeldEvent(promise, lib.keys.logSigner(), logClient(), {
      ...options,
      now: new Date(),
    });
    expect(soon).toMatchObject({ ok: true, pending: true });
    const report = await lib.holder.checkHeldEvent(promise, lib.keys.logSigner(), logClient(), {
      ...options,
      now: later(),
    });
    expect(report.problems.map((p) => p.code)).toEqual(["missing"]);
  });

  it("chain rewritten consistently, hashes recomputed: the leaves still hold the old hashes", async () => {
    const { subjectId, events } = await subjectWithEvents();
    await sequence();
    const rewritten = rewriteChain(events, 1);
    await asInsider([
      ...rewritten.map((e): [string, unknown[]] => [
        'UPDATE consent_events SET action = $2::"ConsentAction", prev_hash = $3, hash = $4 WHERE id = $1',
        [e.id, e.action, e.prevHash, e.hash],
      ]),
      [
        "UPDATE consent_subjects SET head_hash = $2 WHERE subject_id = $1",
        [subjectId, rewritten.at(-1)!.hash],
      ],
    ]);
    const { problems } = await verifyAt(new Date());
    for (const e of rewritten.slice(1)) expect(kinds(problems, e.id)).toContain("leaf");
  });

  it("forged event appended with a plain INSERT, head and projection fixed: it never gets a leaf", async () => {
    const { subjectId, events } = await subjectWithEvents(["surveys"]);
    await sequence();
    const last = events.at(-1)!;
    const forged: HashedEventFields = {
      ...last,
      id: randomUUID(),
      seq: last.seq + 1,
      action: "PURPOSE_GRANTED",
      purposeKey: "third-party-sharing",
      idempotencyKey: `api:${randomUUID()}`,
      recordedAt: new Date().toISOString(),
      prevHash: last.hash,
    };
    const hash = eventHash(forged);
    // The runtime role cannot even try.
    await expect(
      lib.db.pool.query("INSERT INTO consent_events (id) VALUES ($1)", [forged.id]),
    ).rejects.toMatchObject({ code: "42501" });
    // The owner can, with triggers on: a correctly hashed row, head and projection moved.
    const client = await owner.connect();
    try {
      await client.query(
        `INSERT INTO consent_events (id, subject_id, seq, action, version_id, version_number, purpose_key, notice_sha256,
           method, recorded_at, ip_truncated, user_agent, locale, idempotency_key, prev_hash, hash, signature, key_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)`,
        [
          forged.id,
          forged.subjectId,
          forged.seq,
          forged.action,
          forged.versionId,
          forged.versionNumber,
          forged.purposeKey,
          forged.noticeSha256,
          forged.method,
          forged.recordedAt,
          forged.ipTruncated,
          forged.userAgent,
          forged.locale,
          forged.idempotencyKey,
          forged.prevHash,
          hash,
          last.signature,
          last.keyId,
        ],
      );
      await client.query("UPDATE consent_subjects SET seq = $2, head_hash = $3 WHERE subject_id = $1", [
        subjectId,
        forged.seq,
        hash,
      ]);
    } finally {
      client.release();
    }
    const run = await sequence();
    expect(run.refused).toEqual([{ eventId: forged.id, reason: "its signature does not verify" }]);
    const { problems } = await verifyAt(later());
    const found = problems.filter((p) => p.eventId === forged.id);
    expect(found.map((p) => p.kind)).toEqual(["not_in_log"]);
    expect(found[0]?.message).toContain("not written by the app");
  });
});

/** Changes the action of event `from` and recomputes every hash after it, as a careful forger would. */
function rewriteChain(events: Row[], from: number): Row[] {
  const out: Row[] = [];
  let prev = events[from - 1]?.hash ?? "0".repeat(64);
  events.forEach((event, i) => {
    if (i < from) return out.push(event);
    const changed: Row = {
      ...event,
      action:
        i === from
          ? event.action === "PURPOSE_GRANTED"
            ? "PURPOSE_WITHDRAWN"
            : "PURPOSE_GRANTED"
          : event.action,
      prevHash: prev,
    };
    changed.hash = eventHash(changed);
    prev = changed.hash;
    out.push(changed);
  });
  return out;
}
