// The evidence page's view of the log (docs/ledger.md §12–§16) and pruned
// events everywhere a person or an auditor meets them: the receipt (route and
// signature), the holder's check, the user's history, the explorer and the
// evidence page. Private database: the last test rewrites an event as an
// insider would.
import { randomUUID } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { usePrivateAppDatabase } from "@/tests/helpers/private-app-database";
import { callRoute } from "@/tests/helpers/route-call";
import { leafHash, verifyInclusion } from "@/lib/ledger/merkle";
import { formatVerifierKey, openNote } from "@/lib/ledger/note";
import { parseCheckpointText } from "@/lib/ledger/tlog-checkpoint";
import { eventHash } from "@/lib/ledger/event-hash";
import type { ConsentReceipt } from "@/lib/consent/receipt";
import type { HeldEvent, HolderLogClient } from "@/lib/ledger/holder-check";
import type { LogClient } from "@/lib/ledger/witness";

const meta = { ipTruncated: "192.0.2.0", userAgent: "vitest", locale: "en", gpc: false };

let db: Awaited<ReturnType<typeof usePrivateAppDatabase>>;
let owner: pg.Pool;
type Lib = {
  evidence: typeof import("@/lib/audit/evidence");
  explorer: typeof import("@/lib/audit/explorer");
  filters: typeof import("@/lib/audit/filters");
  log: typeof import("@/lib/ledger/log/public-log");
  keys: typeof import("@/lib/ledger/log/signing-key");
  witness: typeof import("@/lib/ledger/witness");
  holder: typeof import("@/lib/ledger/holder-check");
  jws: typeof import("@/lib/ledger/receipt-jws");
  prune: typeof import("@/lib/ledger/prune");
  history: typeof import("@/lib/consent/history");
  change: typeof import("@/lib/consent/change-purpose");
  accept: typeof import("@/lib/consent/accept-agreement");
  versions: typeof import("@/lib/agreements/versions");
  session: typeof import("@/tests/helpers/session-cookie");
  receiptRoute: typeof import("@/app/api/v1/me/receipts/[eventId]/route");
  eventsRoute: typeof import("@/app/api/v1/me/events/route");
};
let lib: Lib;

beforeAll(async () => {
  db = await usePrivateAppDatabase();
  owner = new pg.Pool({ connectionString: db.url, max: 2 });
  lib = {
    evidence: await import("@/lib/audit/evidence"),
    explorer: await import("@/lib/audit/explorer"),
    filters: await import("@/lib/audit/filters"),
    log: await import("@/lib/ledger/log/public-log"),
    keys: await import("@/lib/ledger/log/signing-key"),
    witness: await import("@/lib/ledger/witness"),
    holder: await import("@/lib/ledger/holder-check"),
    jws: await import("@/lib/ledger/receipt-jws"),
    prune: await import("@/lib/ledger/prune"),
    history: await import("@/lib/consent/history"),
    change: await import("@/lib/consent/change-purpose"),
    accept: await import("@/lib/consent/accept-agreement"),
    versions: await import("@/lib/agreements/versions"),
    session: await import("@/tests/helpers/session-cookie"),
    receiptRoute: await import("@/app/api/v1/me/receipts/[eventId]/route"),
    eventsRoute: await import("@/app/api/v1/me/events/route"),
  };
}, 120_000);

afterAll(async () => {
  await owner?.end();
  await db?.release();
});

/** The log as a witness or a receipt holder sees it: the services behind its public routes. */
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

async function subjectWithEvents() {
  const { rows } = await owner.query<{ id: string }>(
    "INSERT INTO users (id, email, password_hash) VALUES (gen_random_uuid(), $1, 'x') RETURNING id::text",
    [`evidence-${randomUUID()}@int.accord.test`],
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
  const changed = await lib.change.changePurposeConsent({
    subjectId,
    purposeKey: "surveys",
    action: "grant",
    method: "API",
    meta,
    idempotencyKey: `api:${randomUUID()}`,
  });
  expect(changed.ok).toBe(true);
  const { rows: events } = await owner.query<{ id: string; hash: string }>(
    "SELECT id::text, hash FROM consent_events WHERE subject_id = $1 ORDER BY seq",
    [subjectId],
  );
  return { subjectId, events };
}

const fromHex = (hashes: string[]) => hashes.map((hash) => Buffer.from(hash, "hex"));
const fromBase64 = (hashes: string[]) => hashes.map((hash) => Buffer.from(hash, "base64"));

describe("the evidence page's log section", () => {
  const witnessState = mkdtempSync(path.join(tmpdir(), "accord-evidence-witness-"));

  it("shows the signed checkpoint over the event, its cosignatures and a proof an outsider can check", async () => {
    const { events } = await subjectWithEvents();
    const event = events[1]!;
    await lib.log.sequenceNow();
    const { verifierKey, signer: witnessSigner } = lib.witness.witnessKey(
      witnessState,
      "witness.int.test/ev",
    );
    expect((await lib.log.addWitness(verifierKey, null)).ok).toBe(true);
    const outcome = await lib.witness.witnessOnce({ stateDir: witnessState, client: logClient() });
    expect(outcome.status).toBe("witnessed");

    const evidence = await lib.evidence.getEventEvidence(event.id);
    const log = evidence!.log;
    if (log.status !== "included") throw new Error(`expected the event in the log, got ${log.status}`);
    expect(log).toMatchObject({ proofValid: true, leafEventHashMatches: true, leafEventHash: event.hash });
    expect(evidence!.event.leafIndex).toBe(String(log.leafIndex));
    expect(log.checkpoint).toMatchObject({
      signatureValid: true,
      keyId: lib.keys.logSigner().keyId,
      origin: lib.keys.logSigner().name,
    });
    expect(log.cosignatures).toEqual([{ witness: witnessSigner.name, cosignedAt: expect.any(String) }]);
    expect(log.witnesses).toEqual([
      { name: witnessSigner.name, latestSize: log.checkpoint.treeSize, seenEvent: true },
    ]);
    expect(log.checkpoint.note).toContain(`\u2014 ${witnessSigner.name} `);

    // What the page shows is enough to check it without Accord's code paths: the note
    // with the log key, then the proof from SHA-256(0x00 || event hash) to its root.
    const body = parseCheckpointText(openNote(log.checkpoint.note, lib.keys.logSigner()).text);
    expect(body.size).toBe(log.checkpoint.treeSize);
    expect(body.root.toString("hex")).toBe(log.checkpoint.rootHash);
    expect(log.leafHash).toBe(leafHash(Buffer.from(event.hash, "hex")).toString("hex"));
    expect(
      verifyInclusion(
        log.leafIndex,
        body.size,
        Buffer.from(log.leafHash, "hex"),
        fromHex(log.proof),
        body.root,
      ),
    ).toBe(true);
    // The format 1 range checkpoint is not what covers a format 2 event.
    expect(evidence!.checkpoint).toBeNull();
  });

  it("a newer event is proved against a newer checkpoint the witness has not seen yet", async () => {
    const { events } = await subjectWithEvents();
    const evidence = await lib.evidence.getEventEvidence(events[1]!.id);
    const log = evidence!.log;
    if (log.status !== "included") throw new Error(`expected the event in the log, got ${log.status}`);
    expect(log.proofValid).toBe(true);
    expect(log.cosignatures).toEqual([]);
    expect(log.witnesses).toEqual([expect.objectContaining({ seenEvent: false })]);
  });
});

describe("a pruned event", () => {
  it("has a receipt that says pruned, whose leaf still proves it; history, explorer and evidence say pruned", async () => {
    const { subjectId, events } = await subjectWithEvents();
    const result = await lib.prune.pruneConsentEvidence({ subjectIds: [subjectId] });
    expect(result.pruned).toHaveLength(events.length);
    const cookie = await lib.session.sessionCookie({ id: subjectId, sessionVersion: 0 });
    const event = events[1]!;

    // The receipt: route answers 200, says pruned, and the log still proves the stored hash.
    const response = await callRoute(lib.receiptRoute.GET, `/api/v1/me/receipts/${event.id}`, {
      headers: { cookie },
      params: { eventId: event.id },
    });
    expect(response.status).toBe(200);
    const receipt = response.json as ConsentReceipt;
    expect(receipt.evidence).toMatchObject({
      status: "pruned",
      prunedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      hash: event.hash,
      ipTruncated: null,
      userAgent: null,
      locale: null,
      pruned: { removed: ["ipTruncated", "userAgent", "locale"] },
    });
    const log = receipt.log!;
    expect(log.leafHash).toBe(leafHash(Buffer.from(event.hash, "hex")).toString("base64"));
    const checkpoint = parseCheckpointText(openNote(log.checkpoint, lib.keys.logSigner()).text);
    expect(
      verifyInclusion(
        log.leafIndex,
        log.treeSize,
        Buffer.from(log.leafHash, "base64"),
        fromBase64(log.proof),
        checkpoint.root,
      ),
    ).toBe(true);
    expect(await lib.jws.verifyReceiptSignature(receipt, lib.keys.logSigner().publicKey)).toBe(
      lib.keys.logSigner().keyId,
    );

    // A holder checks it through the log; its fields alone no longer give its hash.
    const e = receipt.evidence;
    const held: HeldEvent = {
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
      prunedAt: e.prunedAt,
    };
    const options = { now: new Date(), maxMergeDelaySeconds: 3600 };
    const key = lib.keys.logSigner();
    expect(await lib.holder.checkHeldEvent(held, key, logClient(), options)).toEqual({
      ok: true,
      pruned: true,
      pending: false,
      problems: [],
    });
    const asIfWhole = await lib.holder.checkHeldEvent({ ...held, prunedAt: null }, key, logClient(), options);
    expect(asIfWhole.problems.map((p) => p.code)).toContain("invalid_receipt");
    // Pruned or not, a receipt whose hash is not the leaf's is refused.
    const forged = await lib.holder.checkHeldEvent(
      { ...held, hash: "0".repeat(64) },
      key,
      logClient(),
      options,
    );
    expect(forged.ok).toBe(false);

    // The user's history, page and API.
    const history = await lib.history.listConsentEvents(subjectId);
    expect(history.events.map((row) => row.prunedAt instanceof Date)).toEqual(events.map(() => true));
    const api = await callRoute(lib.eventsRoute.GET, "/api/v1/me/events", { headers: { cookie } });
    expect(api.status).toBe(200);
    expect((api.json as { events: { prunedAt: string | null }[] }).events.every((row) => row.prunedAt)).toBe(
      true,
    );

    // The auditor's explorer and evidence page.
    const purposeKeys = await lib.explorer.listPurposeKeys();
    const page = await lib.explorer.listConsentEvents(
      lib.filters.explorerQuerySchema(purposeKeys).parse({ user: subjectId }),
    );
    expect(page.rows.map((row) => row.prunedAt !== null)).toEqual(events.map(() => true));
    const evidence = await lib.evidence.getEventEvidence(event.id);
    expect(evidence).toMatchObject({ pruned: true, problems: [], link: "ok" });
    expect(evidence!.event.prunedAt).toEqual(e.prunedAt);
    expect(evidence!.log).toMatchObject({ status: "included", proofValid: true, leafEventHashMatches: true });
    expect(evidence!.receipt?.evidence.status).toBe("pruned");
  });
});

// Last: it leaves a rewritten event in this private database.
describe("an insider's rewrite", () => {
  it("an event rewritten by an insider after it entered the log fails the log check", async () => {
    const { events } = await subjectWithEvents();
    const target = events[1]!;
    await lib.log.sequenceNow();
    const { rows } = await owner.query<Record<string, unknown>>(
      `SELECT id::text, subject_id::text AS "subjectId", seq, 'PURPOSE_WITHDRAWN' AS action,
         version_id::text AS "versionId", version_number AS "versionNumber", purpose_key AS "purposeKey",
         notice_sha256 AS "noticeSha256", method::text,
         to_char(recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "recordedAt",
         ip_truncated AS "ipTruncated", user_agent AS "userAgent", locale, idempotency_key AS "idempotencyKey",
         prev_hash AS "prevHash"
       FROM consent_events WHERE id = $1`,
      [target.id],
    );
    const rewritten = eventHash(rows[0] as unknown as Parameters<typeof eventHash>[0]);
    const client = await owner.connect();
    try {
      await client.query("BEGIN");
      await client.query("SET LOCAL session_replication_role = replica");
      await client.query("UPDATE consent_events SET action = 'PURPOSE_WITHDRAWN', hash = $2 WHERE id = $1", [
        target.id,
        rewritten,
      ]);
      await client.query("COMMIT");
    } finally {
      client.release();
    }
    const evidence = await lib.evidence.getEventEvidence(target.id);
    // The chain check alone would pass this event (its hash recomputes); the log does not.
    expect(evidence!.hashMatches).toBe(true);
    const log = evidence!.log;
    if (log.status !== "included") throw new Error(`expected the event's leaf, got ${log.status}`);
    expect(log).toMatchObject({
      leafEventHash: target.hash,
      leafEventHashMatches: false,
      proofValid: false,
    });
  });
});
