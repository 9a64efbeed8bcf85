import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createUser } from "@/lib/users/create-user";
import { acceptAgreement, getAcceptance } from "@/lib/consent/accept-agreement";
import { getVersionInEffect } from "@/lib/agreements/versions";
import { prisma } from "@/lib/db";

const meta = { ipTruncated: "203.0.113.0", userAgent: "vitest", locale: "en" };

async function newUser() {
  const created = await createUser({
    email: `accept-${randomUUID()}@int.accord.test`,
    password: "correct horse battery staple",
  });
  if (!created.ok) throw new Error(created.message);
  return created.data;
}

describe("accepting the agreement", () => {
  it("records user, version, text hash, time, truncated IP and user agent", async () => {
    const user = await newUser();
    const version = await getVersionInEffect();
    expect(version?.number).toBe(1);
    const result = await acceptAgreement({
      subjectId: user.id,
      versionId: version!.id,
      shownSha256: version!.bodySha256,
      method: "WEB",
      meta,
    });
    expect(result).toMatchObject({ ok: true, data: { versionNumber: 1, replayed: false } });
    const events = await prisma.consentEvent.findMany({ where: { subjectId: user.id } });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      action: "AGREEMENT_ACCEPTED",
      versionNumber: 1,
      noticeSha256: version!.bodySha256,
      ipTruncated: "203.0.113.0",
      userAgent: "vitest",
      seq: 1,
    });
    expect((await getAcceptance(user.id))?.acceptedVersionNumber).toBe(1);
  });

  it("accepting twice (even concurrently) records one acceptance", async () => {
    const user = await newUser();
    const version = (await getVersionInEffect())!;
    const options = {
      subjectId: user.id,
      versionId: version.id,
      shownSha256: version.bodySha256,
      method: "WEB" as const,
      meta,
    };
    const results = await Promise.all([
      acceptAgreement(options),
      acceptAgreement(options),
      acceptAgreement(options),
    ]);
    expect(results.every((r) => r.ok)).toBe(true);
    expect(await prisma.consentEvent.count({ where: { subjectId: user.id } })).toBe(1);
    const again = await acceptAgreement(options);
    expect(again).toMatchObject({ ok: true, data: { replayed: true } });
    expect(await prisma.consentEvent.count({ where: { subjectId: user.id } })).toBe(1);
  });

  it("refuses a text the user was not shown and an unknown version, writing nothing", async () => {
    const user = await newUser();
    const version = (await getVersionInEffect())!;
    const mismatch = await acceptAgreement({
      subjectId: user.id,
      versionId: version.id,
      shownSha256: "a".repeat(64),
      method: "WEB",
      meta,
    });
    expect(mismatch).toMatchObject({ ok: false, status: 409, code: "text_mismatch" });
    const unknown = await acceptAgreement({
      subjectId: user.id,
      versionId: randomUUID(),
      shownSha256: version.bodySha256,
      method: "WEB",
      meta,
    });
    expect(unknown).toMatchObject({ ok: false, status: 404 });
    expect(await prisma.consentEvent.count({ where: { subjectId: user.id } })).toBe(0);
  });
});
