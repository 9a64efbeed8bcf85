// Hosted flows against real Postgres: links only to allowed return URLs,
// tamper-proof and short-lived, completed once, recording the user's choices
// (which reach webhooks through the same outbox as every other write).
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { usePrivateAppDatabase } from "@/tests/helpers/private-app-database";

let db: Awaited<ReturnType<typeof usePrivateAppDatabase>>;
let links: typeof import("./links");
let flow: typeof import("./flow");
let returnUrls: typeof import("./return-urls");
let lib: typeof import("@/lib/db");
let keyId = "";
const context = { actor: null, meta: { ipTruncated: null, userAgent: "vitest" } };
const meta = { ipTruncated: "192.0.2.0", userAgent: "vitest", locale: "en", gpc: false };
const at = () => new Date();

beforeAll(async () => {
  db = await usePrivateAppDatabase();
  [links, flow, returnUrls, lib] = await Promise.all([
    import("./links"),
    import("./flow"),
    import("./return-urls"),
    import("@/lib/db"),
  ]);
  const apiKeys = await import("@/lib/api-keys/api-keys");
  const key = await apiKeys.createApiKey(context, {
    name: "IM",
    scopes: ["consent:write"],
    rateLimitPerMinute: 100,
  });
  if (!key.ok) throw new Error(key.message);
  keyId = key.data.id;
  const added = await returnUrls.addReturnUrl(context, {
    apiKeyId: keyId,
    urlPrefix: "https://im.example/consent",
  });
  expect(added.ok).toBe(true);
});

afterAll(async () => {
  await db?.release();
});

const tokenOf = (url: string) => new URL(url).searchParams.get("token")!;

async function link(overrides: Partial<import("./schemas").CreateHostedLinkInput> = {}) {
  const created = await links.createHostedLink(
    { id: keyId },
    {
      subjectId: `user-${randomUUID()}`,
      flow: "reconsent",
      returnUrl: "https://im.example/consent/done",
      ttlSeconds: 600,
      ...overrides,
    },
    at(),
  );
  if (!created.ok) throw new Error(created.message);
  return created.data;
}

describe("return URLs", () => {
  it("match by origin and whole path segments", () => {
    const allowed = ["https://im.example/consent"];
    expect(returnUrls.isAllowedReturnUrl("https://im.example/consent", allowed)).toBe(true);
    expect(returnUrls.isAllowedReturnUrl("https://im.example/consent/done?x=1", allowed)).toBe(true);
    expect(returnUrls.isAllowedReturnUrl("https://im.example/consented", allowed)).toBe(false);
    expect(returnUrls.isAllowedReturnUrl("https://im.example.evil/consent", allowed)).toBe(false);
    expect(returnUrls.isAllowedReturnUrl("http://im.example/consent", allowed)).toBe(false);
    expect(returnUrls.isAllowedReturnUrl("https://evil@im.example:444/consent", allowed)).toBe(false);
  });

  it("refuse a link to an address not allowed for the key", async () => {
    const refused = await links.createHostedLink(
      { id: keyId },
      { subjectId: "u1", flow: "reconsent", returnUrl: "https://evil.example/consent", ttlSeconds: 600 },
      at(),
    );
    expect(refused).toMatchObject({ ok: false, status: 422, code: "return_url_not_allowed" });
    const otherKey = await links.createHostedLink(
      { id: randomUUID() },
      { subjectId: "u1", flow: "reconsent", returnUrl: "https://im.example/consent", ttlSeconds: 600 },
      at(),
    );
    expect(otherKey).toMatchObject({ ok: false, status: 422 });
  });
});

describe("hosted links", () => {
  it("refuse a tampered or expired token", async () => {
    const { url } = await link();
    const token = tokenOf(url);
    const [header, payload, signature] = token.split(".");
    const claims = JSON.parse(Buffer.from(payload!, "base64url").toString("utf8")) as Record<string, unknown>;
    const forged = `${header}.${Buffer.from(JSON.stringify({ ...claims, ret: "https://evil.example/" })).toString("base64url")}.${signature}`;
    expect(await flow.loadHostedFlow(forged, at(), "en")).toEqual({ status: "invalid" });
    expect(await flow.loadHostedFlow("not-a-token", at(), "en")).toEqual({ status: "invalid" });
    const later = new Date(Date.now() + 11 * 60_000);
    expect(await flow.loadHostedFlow(token, later, "en")).toEqual({ status: "expired" });
    expect(
      await flow.completeHostedFlow({ token, decision: "accept", granted: [], meta, at: later }),
    ).toMatchObject({ ok: false, status: 410, code: "link_expired" });
  });

  it("record an acceptance and the purposes chosen for the external subject, then work no more", async () => {
    const externalId = `user-${randomUUID()}`;
    const { url } = await link({ subjectId: externalId, state: "s-42" });
    const token = tokenOf(url);
    const view = await flow.loadHostedFlow(token, at(), "en");
    expect(view).toMatchObject({ status: "ready", flow: "reconsent", returnHost: "im.example" });
    if (view.status !== "ready") throw new Error("not ready");
    const optional = view.purposes.filter((p) => !p.basic).map((p) => p.key);
    expect(optional.length).toBeGreaterThan(1);

    const done = await flow.completeHostedFlow({
      token,
      decision: "accept",
      granted: [optional[0]!],
      meta,
      at: at(),
    });
    expect(done).toEqual({
      ok: true,
      data: { returnUrl: "https://im.example/consent/done?accord_outcome=accepted&state=s-42" },
    });
    const subject = await lib.prisma.externalSubject.findUniqueOrThrow({ where: { externalId } });
    const events = await lib.prisma.consentEvent.findMany({
      where: { subjectId: subject.subjectId },
      orderBy: { seq: "asc" },
    });
    expect(events.map((e) => [e.action, e.purposeKey, e.method])).toEqual([
      ["AGREEMENT_ACCEPTED", null, "WEB"],
      ["PURPOSE_GRANTED", optional[0], "WEB"],
    ]);
    expect(await flow.loadHostedFlow(token, at(), "en")).toEqual({ status: "used" });
    expect(
      await flow.completeHostedFlow({ token, decision: "accept", granted: [], meta, at: at() }),
    ).toMatchObject({
      ok: false,
      code: "link_used",
    });

    // The preference centre shows the recorded choice; withdrawing it is one event.
    const prefs = tokenOf((await link({ subjectId: externalId, flow: "preferences" })).url);
    const shown = await flow.loadHostedFlow(prefs, at(), "en");
    expect(shown).toMatchObject({ status: "ready", flow: "preferences" });
    if (shown.status !== "ready") throw new Error("not ready");
    expect(shown.purposes.find((p) => p.key === optional[0])?.granted).toBe(true);
    const saved = await flow.completeHostedFlow({
      token: prefs,
      decision: "save",
      granted: [],
      meta,
      at: at(),
    });
    expect(saved).toMatchObject({
      ok: true,
      data: { returnUrl: "https://im.example/consent/done?accord_outcome=updated" },
    });
    const last = await lib.prisma.consentEvent.findFirstOrThrow({
      where: { subjectId: subject.subjectId },
      orderBy: { seq: "desc" },
    });
    expect([last.action, last.purposeKey]).toEqual(["PURPOSE_WITHDRAWN", optional[0]]);
  });

  it("record nothing when the user declines", async () => {
    const externalId = `user-${randomUUID()}`;
    const { url } = await link({ subjectId: externalId });
    const done = await flow.completeHostedFlow({
      token: tokenOf(url),
      decision: "decline",
      granted: [],
      meta,
      at: at(),
    });
    expect(done).toMatchObject({
      ok: true,
      data: { returnUrl: "https://im.example/consent/done?accord_outcome=declined" },
    });
    expect(await lib.prisma.externalSubject.count({ where: { externalId } })).toBe(0);
  });

  it("record the Chinese text and notices when the page was shown in Chinese", async () => {
    const externalId = `user-${randomUUID()}`;
    const token = tokenOf((await link({ subjectId: externalId })).url);
    const view = await flow.loadHostedFlow(token, at(), "zh-CN");
    if (view.status !== "ready") throw new Error("not ready");
    const english = await flow.loadHostedFlow(token, at(), "en");
    if (english.status !== "ready") throw new Error("not ready");
    // The seed's version 1 is translated into Chinese: the page offers that text and those notices.
    expect(view.version.locale).toBe("zh-CN");
    expect(view.version.shownSha256).not.toBe(english.version.shownSha256);
    const translation = await lib.prisma.agreementTranslation.findFirstOrThrow({
      where: { locale: "zh-CN", version: { number: view.version.number } },
    });
    expect(view.version).toMatchObject({ title: translation.title, shownSha256: translation.bodySha256 });
    const optional = view.purposes.find((p) => !p.basic)!;
    expect(optional.noticeSha256).not.toBe(
      english.purposes.find((p) => p.key === optional.key)!.noticeSha256,
    );

    // What the page posts back: the hashes it showed (completeHostedSchema reads them from the form).
    const { completeHostedSchema } = await import("./schemas");
    const form = completeHostedSchema.parse({
      token,
      decision: "accept",
      shownSha256: view.version.shownSha256,
      [`purpose:${optional.key}`]: "on",
      ...Object.fromEntries(view.purposes.map((p) => [`notice:${p.key}`, p.noticeSha256])),
    });
    const done = await flow.completeHostedFlow({ ...form, meta, at: at() });
    expect(done.ok).toBe(true);
    const subject = await lib.prisma.externalSubject.findUniqueOrThrow({ where: { externalId } });
    const events = await lib.prisma.consentEvent.findMany({
      where: { subjectId: subject.subjectId },
      orderBy: { seq: "asc" },
    });
    expect(events.map((e) => [e.action, e.purposeKey, e.locale, e.noticeSha256])).toEqual([
      ["AGREEMENT_ACCEPTED", null, "zh-CN", translation.bodySha256],
      ["PURPOSE_GRANTED", optional.key, "zh-CN", optional.noticeSha256],
    ]);
  });

  it("refuse a text the version does not have, and write nothing", async () => {
    const externalId = `user-${randomUUID()}`;
    const token = tokenOf((await link({ subjectId: externalId })).url);
    const done = await flow.completeHostedFlow({
      token,
      decision: "accept",
      granted: [],
      shownSha256: "0".repeat(64),
      meta,
      at: at(),
    });
    expect(done).toMatchObject({ ok: false, code: "text_mismatch" });
    const subject = await lib.prisma.externalSubject.findUnique({ where: { externalId } });
    expect(
      subject ? await lib.prisma.consentEvent.count({ where: { subjectId: subject.subjectId } }) : 0,
    ).toBe(0);
  });
});
