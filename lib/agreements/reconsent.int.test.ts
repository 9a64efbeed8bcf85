import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { usePrivateAppDatabase } from "@/tests/helpers/private-app-database";
import { createAdminContext } from "@/tests/helpers/admin-context";

// Publishes versions, so it has its own database.
let db: Awaited<ReturnType<typeof usePrivateAppDatabase>>;
let reconsent: typeof import("./reconsent");
let responses: typeof import("./agreement-responses");
let lib: typeof import("@/lib/db");
let ledger: typeof import("@/lib/ledger/append");
let consent: typeof import("@/lib/consent/accept-agreement");
let admin: import("./drafts").AdminContext;

const DAY = 86_400_000;
const t0 = new Date("2032-02-01T12:00:00.000Z");
const day = (n: number) => new Date(t0.getTime() + n * DAY);
const iso = (d: Date) => d.toISOString().slice(0, 10);
const meta = { ipTruncated: "192.0.2.0", userAgent: "vitest", locale: "en" };

let v1: { id: string; bodySha256: string };
let v2: { id: string; number: number; bodySha256: string };
let v3: { id: string; number: number };

beforeAll(async () => {
  db = await usePrivateAppDatabase();
  [reconsent, responses, lib, ledger, consent] = await Promise.all([
    import("./reconsent"),
    import("./agreement-responses"),
    import("@/lib/db"),
    import("@/lib/ledger/append"),
    import("@/lib/consent/accept-agreement"),
  ]);
  const { createDraft, updatePurpose } = await import("./drafts");
  const { publishVersion } = await import("./publish");
  const publish = async (versionId: string, effective: Date, changeSummary: string, material: boolean) => {
    const published = await publishVersion(
      admin,
      { versionId, effectiveDate: iso(effective), lastUpdated: iso(t0), changeSummary, material },
      { at: t0 },
    );
    if (!published.ok) throw new Error(published.message);
    return published.data;
  };
  admin = await createAdminContext(meta);
  v1 = await lib.prisma.agreementVersion.findUniqueOrThrow({
    where: { number: 1 },
    select: { id: true, bodySha256: true },
  });

  // v2: material, personalisation's notice changed, effective on day 10.
  const d2 = await createDraft(admin);
  if (!d2.ok) throw new Error(d2.message);
  const p = await lib.prisma.purpose.findFirstOrThrow({
    where: { versionId: d2.data.id, key: "personalisation" },
  });
  await updatePurpose(admin, {
    versionId: d2.data.id,
    purposeId: p.id,
    name: p.name,
    description: "Changed.",
    basic: false,
    dpvTerm: p.dpvTerm,
  });
  const r2 = await publish(d2.data.id, day(10), "Material.", true);
  v2 = {
    id: r2.id,
    number: r2.number,
    bodySha256: (await lib.prisma.agreementVersion.findUniqueOrThrow({ where: { id: r2.id } })).bodySha256,
  };

  // v3: minor, effective on day 20.
  const d3 = await createDraft(admin);
  if (!d3.ok) throw new Error(d3.message);
  const r3 = await publish(d3.data.id, day(20), "", false);
  v3 = { id: r3.id, number: r3.number };
});

afterAll(async () => {
  await db?.release();
});

async function userWhoAcceptedV1() {
  const { createUser } = await import("@/lib/users/create-user");
  const created = await createUser({
    email: `u-${randomUUID()}@int.accord.test`,
    password: "correct horse battery",
  });
  if (!created.ok) throw new Error(created.message);
  await ledger.appendConsentEvent({
    subjectId: created.data.id,
    action: "AGREEMENT_ACCEPTED",
    versionId: v1.id,
    versionNumber: 1,
    purposeKey: null,
    noticeSha256: v1.bodySha256,
    method: "WEB",
    ...meta,
    idempotencyKey: `agreement:${v1.id}`,
  });
  return created.data.id;
}

describe("re-consent against the real projection", () => {
  it("banner before, prompt after, nothing once accepted", async () => {
    const userId = await userWhoAcceptedV1();
    expect(await reconsent.getReconsentStatus(userId, day(5))).toMatchObject({
      kind: "upcoming",
      version: { number: v2.number },
    });
    expect(await reconsent.getReconsentStatus(userId, day(11))).toMatchObject({
      kind: "required",
      version: { number: v2.number },
      acceptedNumber: 1,
    });
    await ledger.appendConsentEvent({
      subjectId: userId,
      action: "AGREEMENT_ACCEPTED",
      versionId: v2.id,
      versionNumber: v2.number,
      purposeKey: null,
      noticeSha256: v2.bodySha256,
      method: "WEB",
      ...meta,
      idempotencyKey: `agreement:${v2.id}`,
    });
    expect(await reconsent.getReconsentStatus(userId, day(11))).toMatchObject({
      kind: "notice",
      version: { number: v3.number },
    });
  });

  it("accepting a scheduled material version early is allowed and settles the banner", async () => {
    const userId = await userWhoAcceptedV1();
    // accept-agreement reads the real clock: the version is scheduled for it too.
    const result = await consent.acceptAgreement({
      subjectId: userId,
      versionId: v2.id,
      shownSha256: v2.bodySha256,
      method: "WEB",
      meta,
    });
    expect(result).toMatchObject({ ok: true, data: { versionNumber: v2.number } });
    expect((await reconsent.getReconsentStatus(userId, day(5))).kind).toBe("notice");
  });

  it("declining is recorded and leaves the earlier acceptance as it was", async () => {
    const userId = await userWhoAcceptedV1();
    const result = await responses.declineAgreement({ subjectId: userId, versionId: v2.id, meta });
    expect(result).toMatchObject({ ok: true, data: { versionNumber: v2.number } });
    const again = await responses.declineAgreement({ subjectId: userId, versionId: v2.id, meta });
    expect(again.ok && again.data.eventId).toBe(result.ok && result.data.eventId);
    const events = await lib.prisma.consentEvent.findMany({
      where: { subjectId: userId },
      orderBy: { seq: "asc" },
    });
    expect(events.map((e) => [e.action, e.versionNumber])).toEqual([
      ["AGREEMENT_ACCEPTED", 1],
      ["AGREEMENT_DECLINED", v2.number],
    ]);
    expect((await consent.getAcceptance(userId))?.acceptedVersionNumber).toBe(1);
    expect((await reconsent.getReconsentStatus(userId, day(11))).kind).toBe("required");
  });

  it("dismissing a minor notice is recorded in the ledger and the projection; a material one cannot be dismissed", async () => {
    const userId = await userWhoAcceptedV1();
    expect(await responses.acknowledgeNotice({ subjectId: userId, versionId: v2.id, meta })).toMatchObject({
      ok: false,
      status: 409,
    });
    expect(await responses.acknowledgeNotice({ subjectId: userId, versionId: v3.id, meta })).toMatchObject({
      ok: true,
    });
    const subject = await lib.prisma.consentSubject.findUniqueOrThrow({ where: { subjectId: userId } });
    expect(subject.acknowledgedVersionNumber).toBe(v3.number);
    expect(
      await lib.prisma.consentEvent.count({
        where: { subjectId: userId, action: "NOTICE_ACKNOWLEDGED", versionNumber: v3.number },
      }),
    ).toBe(1);
  });

  it("a purpose whose notice changed needs fresh consent once the new version is in effect", async () => {
    const userId = await userWhoAcceptedV1();
    const purpose = await lib.prisma.purpose.findFirstOrThrow({
      where: { versionId: v1.id, key: "personalisation" },
    });
    const surveys = await lib.prisma.purpose.findFirstOrThrow({
      where: { versionId: v1.id, key: "surveys" },
    });
    for (const p of [purpose, surveys]) {
      await ledger.appendConsentEvent({
        subjectId: userId,
        action: "PURPOSE_GRANTED",
        versionId: v1.id,
        versionNumber: 1,
        purposeKey: p.key,
        noticeSha256: p.noticeSha256,
        method: "WEB",
        ...meta,
        idempotencyKey: randomUUID(),
      });
    }
    expect(await reconsent.getPurposesNeedingFreshConsent(userId, day(5))).toEqual([]);
    expect(await reconsent.getPurposesNeedingFreshConsent(userId, day(11))).toEqual([
      { key: "personalisation", name: purpose.name },
    ]);
  });
});
