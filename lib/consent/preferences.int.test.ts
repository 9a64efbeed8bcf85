// The preference centre's services against real Postgres: refusals write
// nothing, Global Privacy Control, fresh consent after a changed notice, and
// history and receipts that only ever show the subject's own events.
import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { prisma } from "@/lib/db";
import { changePurposeConsent, type ChangePurposeConsentOptions } from "@/lib/consent/change-purpose";
import { acceptAgreement } from "@/lib/consent/accept-agreement";
import { applyGpcSignal } from "@/lib/consent/gpc";
import { getPreferences } from "@/lib/consent/preferences";
import { getOwnEventForReceipt, listConsentEvents } from "@/lib/consent/history";
import { getConsentReceipt } from "@/lib/consent/get-receipt";
import { verifyReceiptSignature } from "@/lib/ledger/receipt-jws";
import { logSigner } from "@/lib/ledger/log/signing-key";
import { openNote } from "@/lib/ledger/note";
import { parseCheckpointText } from "@/lib/ledger/tlog-checkpoint";
import { leafHash, verifyInclusion } from "@/lib/ledger/merkle";
import { eventHash } from "@/lib/ledger/event-hash";
import { getVersionInEffect } from "@/lib/agreements/versions";

const meta = { ipTruncated: "192.0.2.0", userAgent: "vitest", locale: "en", gpc: false };
const gpcMeta = { ...meta, gpc: true };

async function newUser(accept = true) {
  const user = await prisma.user.create({
    data: { email: `prefs-${randomUUID()}@int.accord.test`, passwordHash: "not-a-real-hash" },
  });
  if (accept) {
    const version = await getVersionInEffect();
    const result = await acceptAgreement({
      subjectId: user.id,
      versionId: version!.id,
      shownSha256: version!.bodySha256,
      method: "WEB",
      meta,
    });
    expect(result.ok).toBe(true);
  }
  return user.id;
}

function change(subjectId: string, overrides: Partial<ChangePurposeConsentOptions> = {}) {
  return changePurposeConsent({
    subjectId,
    purposeKey: "surveys",
    action: "grant",
    method: "API",
    meta,
    idempotencyKey: `api:${randomUUID()}`,
    ...overrides,
  });
}

const eventCount = (subjectId: string) => prisma.consentEvent.count({ where: { subjectId } });

afterAll(async () => {
  await prisma.$disconnect();
});

describe("changing consent", () => {
  it("takes effect at once and shows in the preferences", async () => {
    const subjectId = await newUser();
    const granted = await change(subjectId, { purposeKey: "recommendations" });
    expect(granted).toMatchObject({ ok: true, data: { purpose: { key: "recommendations", granted: true } } });
    let prefs = await getPreferences(subjectId);
    expect(prefs.purposes.find((p) => p.key === "recommendations")?.consent).toBe("granted");
    await change(subjectId, { purposeKey: "recommendations", action: "withdraw" });
    prefs = await getPreferences(subjectId);
    expect(prefs.purposes.find((p) => p.key === "recommendations")?.consent).toBe("not-granted");
  });

  it("lists every purpose of the accepted version, basic ones as required and the rest off by default", async () => {
    const prefs = await getPreferences(await newUser());
    expect(prefs.acceptedVersion?.number).toBe(1);
    expect(prefs.purposes.map((p) => [p.key, p.consent])).toEqual([
      ["service", "required"],
      ["security", "required"],
      ["personalisation", "not-granted"],
      ["optimisation", "not-granted"],
      ["surveys", "not-granted"],
      ["recommendations", "not-granted"],
      ["precise-location", "not-granted"],
      ["third-party-sharing", "not-granted"],
    ]);
  });

  it("refuses an unknown purpose, a basic purpose, a stale version or notice, and no acceptance, writing nothing", async () => {
    const subjectId = await newUser();
    const before = await eventCount(subjectId);
    expect(await change(subjectId, { purposeKey: "telepathy" })).toMatchObject({
      ok: false,
      status: 404,
      code: "unknown_purpose",
    });
    expect(await change(subjectId, { purposeKey: "service", action: "withdraw" })).toMatchObject({
      ok: false,
      status: 422,
      code: "basic_purpose",
    });
    expect(await change(subjectId, { versionNumber: 2 })).toMatchObject({
      ok: false,
      status: 409,
      code: "stale_version",
    });
    expect(await change(subjectId, { noticeSha256: "e".repeat(64) })).toMatchObject({
      ok: false,
      status: 409,
      code: "stale_notice",
    });
    expect(await eventCount(subjectId)).toBe(before);

    const stranger = await newUser(false);
    expect(await change(stranger)).toMatchObject({ ok: false, status: 409, code: "agreement_not_accepted" });
    expect(await eventCount(stranger)).toBe(0);
  });
});

describe("Global Privacy Control", () => {
  const sharing = async (subjectId: string) =>
    (await getPreferences(subjectId)).purposes.find((p) => p.key === "third-party-sharing");

  it("withdraws third-party sharing once, with method GPC, and marks the subject", async () => {
    const subjectId = await newUser();
    await change(subjectId, { purposeKey: "third-party-sharing" });
    expect(await applyGpcSignal(subjectId, gpcMeta)).toBe("withdrew");
    const last = await prisma.consentEvent.findFirstOrThrow({
      where: { subjectId },
      orderBy: { seq: "desc" },
    });
    expect(last).toMatchObject({
      action: "PURPOSE_WITHDRAWN",
      method: "GPC",
      purposeKey: "third-party-sharing",
    });
    expect((await sharing(subjectId))?.consent).toBe("not-granted");
    expect((await getPreferences(subjectId)).gpcAppliedAt).toEqual(last.recordedAt);

    const count = await eventCount(subjectId);
    expect(
      await Promise.all([applyGpcSignal(subjectId, gpcMeta), applyGpcSignal(subjectId, gpcMeta)]),
    ).toEqual(["unchanged", "unchanged"]);
    expect(await eventCount(subjectId)).toBe(count);
  });

  it("respects sharing turned on after the user was told GPC is on, and applies again after a grant without it", async () => {
    const subjectId = await newUser();
    expect(await applyGpcSignal(subjectId, gpcMeta)).toBe("marked");
    // Granted from a browser still sending GPC, with the notice on screen.
    await change(subjectId, { purposeKey: "third-party-sharing", meta: gpcMeta });
    expect(await applyGpcSignal(subjectId, gpcMeta)).toBe("unchanged");
    expect((await sharing(subjectId))?.consent).toBe("granted");

    // Granted again from somewhere without the signal: the next signal wins.
    await change(subjectId, { purposeKey: "third-party-sharing" });
    expect(await applyGpcSignal(subjectId, gpcMeta)).toBe("withdrew");
    expect((await sharing(subjectId))?.consent).toBe("not-granted");
  });

  it("does nothing without the signal, or for a user who has not accepted the agreement", async () => {
    const subjectId = await newUser();
    await change(subjectId, { purposeKey: "third-party-sharing" });
    expect(await applyGpcSignal(subjectId, meta)).toBe("unchanged");
    expect((await sharing(subjectId))?.consent).toBe("granted");
    expect(await applyGpcSignal(await newUser(false), gpcMeta)).toBe("unchanged");
  });
});

describe("history and receipts", () => {
  it("lists only the subject's own events, newest first, page by page", async () => {
    const subjectId = await newUser();
    const other = await newUser();
    for (const action of ["grant", "withdraw", "grant"] as const)
      await change(subjectId, { purposeKey: "optimisation", action });
    const first = await listConsentEvents(subjectId, { limit: 2 });
    expect(first.events.map((e) => [e.seq, e.action, e.purposeName])).toEqual([
      [4, "PURPOSE_GRANTED", "Service optimisation and development"],
      [3, "PURPOSE_WITHDRAWN", "Service optimisation and development"],
    ]);
    const second = await listConsentEvents(subjectId, { limit: 2, before: first.nextBefore! });
    expect(second.events.map((e) => e.seq)).toEqual([2, 1]);
    expect(second.nextBefore).toBeNull();
    expect(
      (await listConsentEvents(other)).events.every((e) => !first.events.some((mine) => mine.id === e.id)),
    ).toBe(true);
  });

  it("builds a receipt for an own event and finds nothing for another user's", async () => {
    const subjectId = await newUser();
    const other = await newUser();
    const granted = await change(subjectId, { purposeKey: "precise-location" });
    if (!granted.ok) throw new Error(granted.message);
    expect(await getOwnEventForReceipt(other, granted.data.event.id)).toBeNull();
    expect(await getConsentReceipt(other, granted.data.event.id)).toBeNull();
    const receipt = (await getConsentReceipt(subjectId, granted.data.event.id))!;
    expect(receipt).toMatchObject({
      version: "KI-CR-v1.1.0",
      jurisdiction: "CN",
      consentReceiptID: granted.data.event.id,
      piiPrincipalId: subjectId,
      collectionMethod: expect.stringContaining("API"),
      piiControllers: [expect.objectContaining({ piiController: "Easemob", email: "support@easemob.com" })],
      policyUrl: expect.stringMatching(/\/agreement$/),
      retentionPeriod: expect.stringContaining("agreement §3"),
      crossBorderTransfer: { occurs: false, description: expect.any(String) },
      consentStatus: "granted",
      sensitive: true,
      services: [
        {
          service: "Easemob IM",
          purposes: [
            expect.objectContaining({
              purposeKey: "precise-location",
              purposeCategory: ["pd:PreciseLocation"],
              consentType: "EXPLICIT",
              piiCategoryCodes: ["dpv-pd:Location", "dpv-pd:GPSCoordinate"],
            }),
          ],
        },
      ],
      evidence: expect.objectContaining({ hash: granted.data.event.hash, seq: granted.data.event.seq }),
    });
    expect(receipt.consentTimestamp).toBe(Math.floor(Date.parse(granted.data.event.recordedAt) / 1000));
    // Signed with the log key (detached JWS, kid), and the event is proven to be in a signed checkpoint.
    const signer = logSigner();
    expect(await verifyReceiptSignature(receipt, signer.publicKey)).toBe(signer.keyId);
    expect(
      await verifyReceiptSignature({ ...receipt, consentStatus: "withdrawn" }, signer.publicKey),
    ).toBeNull();
    const log = receipt.log!;
    const checkpoint = parseCheckpointText(openNote(log.checkpoint, signer).text);
    expect(
      verifyInclusion(
        log.leafIndex,
        log.treeSize,
        leafHash(Buffer.from(receipt.evidence.hash, "hex")),
        log.proof.map((p) => Buffer.from(p, "base64")),
        checkpoint.root,
      ),
    ).toBe(true);
    expect(checkpoint.size).toBe(log.treeSize);
    // The receipt alone is enough to recompute the event's hash.
    const evidence = receipt.evidence;
    expect(
      eventHash({
        id: evidence.eventId,
        subjectId: evidence.subjectId,
        seq: evidence.seq,
        action: evidence.action,
        versionId: evidence.versionId,
        versionNumber: evidence.versionNumber,
        purposeKey: evidence.purposeKey,
        noticeSha256: evidence.noticeSha256,
        method: evidence.method,
        recordedAt: evidence.recordedAt,
        ipTruncated: evidence.ipTruncated,
        userAgent: evidence.userAgent,
        locale: evidence.locale,
        idempotencyKey: evidence.idempotencyKey,
        prevHash: evidence.prevHash,
      }),
    ).toBe(evidence.hash);
  });
});
