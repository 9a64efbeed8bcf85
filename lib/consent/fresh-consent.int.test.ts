// PIPL Art. 14 fresh consent: after a later version rewords a purpose, an
// earlier grant no longer counts. Runs on a private database because it
// publishes a version, which other test files must not see.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../tests/helpers/test-database";
import { seed } from "../../prisma/seed";
import { purposeNoticeSha256 } from "@/lib/agreements/notice-hash";

let database: TestDatabase;
const previousUrl = process.env.DATABASE_URL;
let db: typeof import("@/lib/db");
let consent: typeof import("@/lib/consent/change-purpose");
let prefs: typeof import("@/lib/consent/preferences");
let ledger: typeof import("@/lib/ledger/append");
const meta = { ipTruncated: "192.0.2.0", userAgent: "vitest", locale: "en", gpc: false };

beforeAll(async () => {
  database = await createTestDatabase();
  await seed(database.url, { demoAccounts: false });
  process.env.DATABASE_URL = database.runtimeUrl;
  [db, consent, prefs, ledger] = await Promise.all([
    import("@/lib/db"),
    import("@/lib/consent/change-purpose"),
    import("@/lib/consent/preferences"),
    import("@/lib/ledger/append"),
  ]);
});

afterAll(async () => {
  await db?.prisma.$disconnect();
  await db?.pool.end();
  process.env.DATABASE_URL = previousUrl;
  await database?.drop();
});

async function accept(subjectId: string, version: { id: string; number: number | null; bodySha256: string }) {
  await ledger.appendConsentEvent({
    subjectId,
    action: "AGREEMENT_ACCEPTED",
    versionId: version.id,
    versionNumber: version.number ?? 0,
    purposeKey: null,
    noticeSha256: version.bodySha256,
    method: "WEB",
    ipTruncated: null,
    userAgent: null,
    locale: null,
    idempotencyKey: `agreement:${version.id}`,
  });
}

const grant = (subjectId: string, purposeKey: string, versionNumber?: number) =>
  consent.changePurposeConsent({
    subjectId,
    purposeKey,
    action: "grant",
    method: "WEB",
    meta,
    idempotencyKey: `web:${randomUUID()}`,
    versionNumber,
  });

it("counts an earlier grant as not granted once the accepted version's notice differs", async () => {
  const { prisma } = db;
  const user = await prisma.user.create({
    data: { email: `fresh-${randomUUID()}@int.accord.test`, passwordHash: "x" },
  });
  const v1 = await prisma.agreementVersion.findUniqueOrThrow({ where: { number: 1 } });
  await accept(user.id, v1);
  expect((await grant(user.id, "personalisation")).ok).toBe(true);
  expect((await grant(user.id, "surveys")).ok).toBe(true);

  // Version 2 (material) rewords one purpose and keeps the others word for word.
  const purposes = await prisma.purpose.findMany({
    where: { versionId: v1.id },
    orderBy: { position: "asc" },
  });
  const draft = await prisma.agreementVersion.create({
    data: {
      title: v1.title,
      bodyMarkdown: `${v1.bodyMarkdown}\n\nRevised.`,
      bodySha256: "f".repeat(64),
      material: true,
      purposes: {
        create: purposes.map(({ key, name, description, basic, dpvTerm, position }) => {
          const text =
            key === "personalisation" ? `${description} We also use it for onboarding tips.` : description;
          return {
            key,
            name,
            description: text,
            basic,
            dpvTerm,
            position,
            noticeSha256: purposeNoticeSha256({ key, name, description: text, basic }),
          };
        }),
      },
    },
  });
  const v2 = await prisma.agreementVersion.update({
    where: { id: draft.id },
    data: { number: 2, publishedAt: new Date(), effectiveAt: new Date() },
  });
  await accept(user.id, v2);

  const after = await prefs.getPreferences(user.id);
  expect(after.acceptedVersion?.number).toBe(2);
  expect(after.purposes.find((p) => p.key === "personalisation")?.consent).toBe("needs-fresh-consent");
  expect(after.purposes.find((p) => p.key === "surveys")?.consent).toBe("granted");
  // Consent for the old wording cannot be replayed against the new version.
  expect(await grant(user.id, "personalisation", 1)).toMatchObject({ ok: false, code: "stale_version" });
  expect((await grant(user.id, "personalisation", 2)).ok).toBe(true);
  expect(
    (await prefs.getPreferences(user.id)).purposes.find((p) => p.key === "personalisation")?.consent,
  ).toBe("granted");
});
