// A service's id linked to an Accord account, against real Postgres: linked
// by an admin or by the person in a hosted flow (audited), after which the
// id's status, recorded decisions, hosted flows and webhooks all use the
// account's consent record; conflicts are refused and an unlink restores the
// id's own record.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { usePrivateAppDatabase } from "@/tests/helpers/private-app-database";
import type { Actor } from "@/lib/auth/actor";
import type { KeyGate } from "@/lib/service-api/operation";

let db: Awaited<ReturnType<typeof usePrivateAppDatabase>>;
let links: typeof import("./subject-links");
let status: typeof import("./status");
let record: typeof import("./record-decision");
let lib: typeof import("@/lib/db");
let consent: typeof import("@/lib/consent/accept-agreement");
let change: typeof import("@/lib/consent/change-purpose");
let admin: Actor;
let version: { id: string; number: number; bodySha256: string };
let gate: KeyGate;
let keyId = "";

const meta = { ipTruncated: "192.0.2.0", userAgent: "vitest", locale: "en", gpc: false };
const adminContext = () => ({ actor: admin, meta });

async function newUser(): Promise<Actor> {
  const { createUser } = await import("@/lib/users/create-user");
  const created = await createUser({
    email: `u-${randomUUID()}@int.accord.test`,
    password: "correct horse battery",
  });
  if (!created.ok) throw new Error(created.message);
  return created.data;
}

/** Records through the service API's own code, as a key with consent:write. */
async function recordForId(
  externalId: string,
  decision: Parameters<typeof record.recordDecision>[0]["decision"],
) {
  const outcome = await record.recordDecision({
    gate,
    externalId,
    decision,
    idempotencyKey: randomUUID(),
    at: new Date(),
  });
  if (!outcome.ok) throw new Error(outcome.message);
  return outcome.data;
}

const acceptByApp = () => ({
  decision: "accept-agreement" as const,
  versionNumber: version.number,
  noticeSha256: version.bodySha256,
  evidence: {},
});

beforeAll(async () => {
  db = await usePrivateAppDatabase();
  [links, status, record, lib, consent, change] = await Promise.all([
    import("./subject-links"),
    import("./status"),
    import("./record-decision"),
    import("@/lib/db"),
    import("@/lib/consent/accept-agreement"),
    import("@/lib/consent/change-purpose"),
  ]);
  const { createAdminContext } = await import("@/tests/helpers/admin-context");
  admin = (await createAdminContext(meta)).actor;
  const { getVersionInEffect } = await import("@/lib/agreements/versions");
  const inEffect = await getVersionInEffect();
  version = { id: inEffect!.id, number: inEffect!.number!, bodySha256: inEffect!.bodySha256 };
  const apiKeys = await import("@/lib/api-keys/api-keys");
  const key = await apiKeys.createApiKey(
    { actor: null, meta: null, via: "cli" },
    { name: "IM", scopes: ["consent:write", "status:read"], rateLimitPerMinute: 10_000 },
  );
  if (!key.ok) throw new Error(key.message);
  keyId = key.data.id;
  const { lookupApiKey, decideKey } = await import("@/lib/api-keys/authenticate");
  const { apiKeySha256 } = await import("@/lib/api-keys/key-format");
  const sha256 = apiKeySha256(key.data.key);
  gate = {
    sha256,
    decide: (row) => decideKey(row, "consent:write"),
    check: async () => decideKey(await lookupApiKey(sha256), "consent:write"),
  };
});

afterAll(async () => {
  await db?.release();
});

describe("linking a service's id to an Accord account", () => {
  it("an admin's link makes the id read and write the account's record, audited, and webhooks name the id", async () => {
    const externalId = `im-${randomUUID()}`;
    // The service recorded an acceptance and a grant under its own id first.
    await recordForId(externalId, acceptByApp());
    await recordForId(externalId, { decision: "grant", purposeKey: "surveys", evidence: {} });
    const before = await status.readExternalStatus(externalId);
    expect(before.purposes.find((p) => p.key === "surveys")?.granted).toBe(true);

    // The person's account has accepted on the web, and granted nothing optional.
    const user = await newUser();
    const accepted = await consent.acceptAgreement({
      subjectId: user.id,
      versionId: version.id,
      shownSha256: version.bodySha256,
      method: "WEB",
      meta,
    });
    expect(accepted.ok).toBe(true);
    const own = await status.readSubjectStatus(user.id, externalId);

    const linked = await links.linkExternalSubjectByAdmin(adminContext(), {
      externalId,
      account: user.email.toUpperCase(),
    });
    expect(linked).toEqual({ ok: true, data: { externalId, userId: user.id, changed: true } });
    const audit = await lib.prisma.auditLogEntry.findFirstOrThrow({
      where: { action: "external_subject.linked", targetId: externalId },
    });
    expect(audit).toMatchObject({ actorId: admin.id, targetType: "external_subject" });
    expect(audit.details).toMatchObject({
      userId: user.id,
      via: "admin",
      previousSubjectId: expect.any(String),
    });

    // Status by the service's id is now the account's, in every read path.
    const after = await status.readExternalStatus(externalId);
    expect(after).toEqual(own);
    expect(after.purposes.find((p) => p.key === "surveys")?.granted).toBe(false);
    const keyed = await status.keyedExternalStatus(gate.sha256, externalId);
    expect(keyed.answer()).toEqual(own);
    const batch = await status.keyedBatchStatus(gate.sha256, [externalId, "nobody"]);
    expect(batch.answer()[0]).toEqual(own);

    // A decision the service records now lands on the account's ledger subject...
    const granted = await recordForId(externalId, {
      decision: "grant",
      purposeKey: "personalisation",
      evidence: {},
    });
    const event = await lib.prisma.consentEvent.findUniqueOrThrow({ where: { id: granted.event.id } });
    expect(event.subjectId).toBe(user.id);
    expect(
      (await status.readSubjectStatus(user.id)).purposes.find((p) => p.key === "personalisation"),
    ).toMatchObject({
      granted: true,
      method: "APP",
    });

    // ...and what the person changes signed in reaches the service's webhooks under its id.
    const endpoints = await import("@/lib/webhooks/endpoints");
    const endpoint = await endpoints.createWebhookEndpoint(
      { actor: admin, meta },
      { url: "http://127.0.0.1:9/never", description: "", eventTypes: ["consent.changed"] },
    );
    if (!endpoint.ok) throw new Error(endpoint.message);
    const withdrawn = await change.changePurposeConsent({
      subjectId: user.id,
      purposeKey: "personalisation",
      action: "withdraw",
      method: "WEB",
      meta,
      idempotencyKey: `web:${randomUUID()}`,
    });
    if (!withdrawn.ok) throw new Error(withdrawn.message);
    const delivery = await lib.prisma.webhookDelivery.findFirstOrThrow({
      where: { endpointId: endpoint.data.id, messageId: `msg_${withdrawn.data.event.id}` },
    });
    expect(delivery.payload).toMatchObject({
      type: "consent.changed",
      data: { subjectId: user.id, externalId, purposeKey: "personalisation", granted: false, method: "WEB" },
    });
    await endpoints.deleteWebhookEndpoint({ actor: admin, meta }, endpoint.data.id);

    // Linking again is a no-op; a second id or a second account is refused.
    expect(
      await links.linkExternalSubjectByAdmin(adminContext(), { externalId, account: user.id }),
    ).toMatchObject({
      ok: true,
      data: { changed: false },
    });
    expect(
      await links.linkExternalSubjectByAdmin(adminContext(), {
        externalId: `im-${randomUUID()}`,
        account: user.id,
      }),
    ).toMatchObject({ ok: false, status: 409, code: "account_linked" });
    const other = await newUser();
    expect(
      await links.linkExternalSubjectByAdmin(adminContext(), { externalId, account: other.email }),
    ).toMatchObject({ ok: false, status: 409, code: "external_id_linked" });
    expect(
      await links.linkExternalSubjectByAdmin(adminContext(), {
        externalId,
        account: "nobody@int.accord.test",
      }),
    ).toMatchObject({ ok: false, status: 404, code: "unknown_account" });
    // An account whose address is not confirmed may not consent, so it may not be
    // linked (a service's decisions would then be recorded under it): nothing written.
    const unconfirmed = await newUser();
    await lib.prisma.user.update({ where: { id: unconfirmed.id }, data: { emailVerifiedAt: null } });
    const freshId = `im-${randomUUID()}`;
    expect(
      await links.linkExternalSubjectByAdmin(adminContext(), {
        externalId: freshId,
        account: unconfirmed.id,
      }),
    ).toMatchObject({ ok: false, status: 409, code: "account_unconfirmed" });
    expect(
      await links.linkExternalSubject(
        { actor: unconfirmed, meta, via: "hosted-flow", apiKeyId: keyId },
        { externalId: freshId, userId: unconfirmed.id },
      ),
    ).toMatchObject({ ok: false, status: 409, code: "account_unconfirmed" });
    expect(await lib.prisma.externalSubject.count({ where: { externalId: freshId } })).toBe(0);
    expect(await lib.prisma.externalSubject.count({ where: { userId: unconfirmed.id } })).toBe(0);
    expect((await links.listLinkedSubjects()).map((l) => l.externalId)).toContain(externalId);

    // Unlinking (audited) gives the id its own record back.
    expect((await links.unlinkExternalSubject(adminContext(), externalId)).ok).toBe(true);
    expect(
      await lib.prisma.auditLogEntry.count({
        where: { action: "external_subject.unlinked", targetId: externalId },
      }),
    ).toBe(1);
    expect(await status.readExternalStatus(externalId)).toEqual(before);
    expect((await links.unlinkExternalSubject(adminContext(), externalId)).ok).toBe(false);
  });

  it("a person completing a hosted flow signed in can link their account; the choices go to the account", async () => {
    const externalId = `im-${randomUUID()}`;
    const user = await newUser();
    const [returnUrls, hosted, flow] = await Promise.all([
      import("@/lib/hosted/return-urls"),
      import("@/lib/hosted/links"),
      import("@/lib/hosted/flow"),
    ]);
    await returnUrls.addReturnUrl(adminContext(), {
      apiKeyId: keyId,
      urlPrefix: "https://im.example/consent",
    });
    const link = async () => {
      const created = await hosted.createHostedLink(
        { id: keyId },
        {
          subjectId: externalId,
          flow: "reconsent",
          returnUrl: "https://im.example/consent/done",
          ttlSeconds: 600,
        },
        new Date(),
      );
      if (!created.ok) throw new Error(created.message);
      return new URL(created.data.url).searchParams.get("token")!;
    };
    const token = await link();
    const view = await flow.loadHostedFlow(token, new Date(), "en");
    expect(view).toMatchObject({ status: "ready", linkedUserId: null });
    const done = await flow.completeHostedFlow({
      token,
      decision: "accept",
      granted: ["surveys"],
      linkTo: user,
      meta,
      at: new Date(),
    });
    expect(done.ok).toBe(true);
    const audit = await lib.prisma.auditLogEntry.findFirstOrThrow({
      where: { action: "external_subject.linked", targetId: externalId },
    });
    expect(audit).toMatchObject({ actorId: user.id, actorEmail: null });
    expect(audit.details).toMatchObject({
      userId: user.id,
      via: "hosted-flow",
      apiKeyId: keyId,
      previousSubjectId: null,
    });
    // Recorded under the account: the person's own status and the service's id agree.
    const mine = await status.readSubjectStatus(user.id, externalId);
    expect(mine).toMatchObject({ known: true, agreement: { acceptedVersion: version.number } });
    expect(mine.purposes.find((p) => p.key === "surveys")).toMatchObject({ granted: true, method: "WEB" });
    expect(await status.readExternalStatus(externalId)).toEqual(mine);
    // The next hosted page knows the link.
    expect(await flow.loadHostedFlow(await link(), new Date(), "en")).toMatchObject({
      linkedUserId: user.id,
    });
  });

  it("a closed account reads as closed through its linked id, refuses new records, and reads as before once restored", async () => {
    const { deregister, cancelDeregistration } = await import("@/lib/rights/deregister");
    const externalId = `im-${randomUUID()}`;
    const user = await newUser();
    const linked = await links.linkExternalSubjectByAdmin(adminContext(), {
      externalId,
      account: user.email,
    });
    expect(linked.ok).toBe(true);
    await recordForId(externalId, acceptByApp());
    await recordForId(externalId, { decision: "grant", purposeKey: "surveys", evidence: {} });
    const open = await status.keyedExternalStatus(gate.sha256, externalId);
    expect(open.answer().closedAt).toBeNull();
    expect(open.answer().purposes.find((p) => p.key === "surveys")?.consent).toBe("granted");

    const closed = await deregister(
      { actor: { id: user.id, email: user.email, role: "USER" }, meta },
      { password: "correct horse battery", confirm: "on" },
    );
    expect(closed.ok).toBe(true);
    const reads = [
      await status.readExternalStatus(externalId),
      await status.readSubjectStatus(user.id, externalId),
      (await status.keyedExternalStatus(gate.sha256, externalId)).answer(),
      (await status.keyedBatchStatus(gate.sha256, [externalId])).answer()[0]!,
    ];
    for (const read of reads) {
      expect(read.closedAt).toEqual(expect.stringMatching(/Z$/));
      expect(read.purposes.length).toBeGreaterThan(0);
      expect(read.purposes.every((p) => p.consent === "account-closed" && p.granted === false)).toBe(true);
      // What was recorded stays stated: the ledger keeps it as evidence.
      expect(read.agreement.acceptedVersion).toBe(version.number);
    }
    const refused = await record.recordDecision({
      gate,
      externalId,
      decision: { decision: "grant", purposeKey: "personalisation", evidence: {} },
      idempotencyKey: randomUUID(),
      at: new Date(),
    });
    expect(refused).toMatchObject({ ok: false, status: 409, code: "account_closed" });

    const restored = await cancelDeregistration(
      { ip: "192.0.2.1", ipTruncated: "192.0.2.0", userAgent: "vitest" },
      { email: user.email, password: "correct horse battery" },
    );
    expect(restored.ok).toBe(true);
    const again = (await status.keyedExternalStatus(gate.sha256, externalId)).answer();
    expect(again.closedAt).toBeNull();
    expect(again.purposes.find((p) => p.key === "surveys")?.consent).toBe("granted");
  });
});
