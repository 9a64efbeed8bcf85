// Idempotent seed: the customer's agreement as version 1 with its purposes
// (skipped with SEED_FIRST_AGREEMENT=0), and in development one demo account
// per role. Run: npm run db:seed
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "../lib/generated/prisma/client";
import { hashPassword } from "../lib/auth/password";
import { agreementBodySha256, purposeNoticeSha256, type PurposeNotice } from "../lib/agreements/notice-hash";

const dataDir = new URL("./seed-data/", import.meta.url);
const read = (name: string) => readFileSync(fileURLToPath(new URL(name, dataDir)), "utf8");

interface SeedPurpose extends PurposeNotice {
  dpvTerm: string | null;
}

/** The languages version 1 ships translated into (docs/translations.md). */
export const SEED_TRANSLATION_LOCALES = ["zh-CN"] as const;

interface SeedTranslation {
  locale: string;
  title: string;
  body: string;
  purposes: Map<string, { name: string; description: string }>;
}

function readTranslations(): SeedTranslation[] {
  return SEED_TRANSLATION_LOCALES.filter((locale) =>
    existsSync(new URL(`agreement-v1.${locale}.md`, dataDir)),
  ).map((locale) => {
    const meta = JSON.parse(read(`agreement-v1.${locale}.json`)) as { title: string };
    const purposes = JSON.parse(read(`purposes-v1.${locale}.json`)) as Array<{
      key: string;
      name: string;
      description: string;
    }>;
    return {
      locale,
      title: meta.title,
      body: read(`agreement-v1.${locale}.md`),
      purposes: new Map(purposes.map((p) => [p.key, { name: p.name, description: p.description }])),
    };
  });
}

/**
 * Adds version 1's missing translations. On a fresh install they are written
 * while the version is a draft and freeze when it is published; on an
 * installation whose version 1 is already published, each is added as a new
 * record, published from the start, and written to the audit log.
 */
async function seedTranslations(prisma: PrismaClient, versionId: string, publishedAt: Date | null) {
  const purposes = await prisma.purpose.findMany({
    where: { versionId },
    select: { id: true, key: true, basic: true },
  });
  for (const translation of readTranslations()) {
    const found = await prisma.agreementTranslation.findUnique({
      where: { versionId_locale: { versionId, locale: translation.locale } },
      select: { id: true },
    });
    if (found) continue;
    await prisma.$transaction(async (tx) => {
      const created = await tx.agreementTranslation.create({
        data: {
          versionId,
          locale: translation.locale,
          title: translation.title,
          bodyMarkdown: translation.body,
          bodySha256: agreementBodySha256(translation.body),
          publishedAt,
        },
      });
      for (const purpose of purposes) {
        const text = translation.purposes.get(purpose.key);
        if (!text) throw new Error(`purposes-v1.${translation.locale}.json has no purpose "${purpose.key}"`);
        await tx.purposeTranslation.create({
          data: {
            purposeId: purpose.id,
            locale: translation.locale,
            ...text,
            noticeSha256: purposeNoticeSha256({ key: purpose.key, basic: purpose.basic, ...text }),
            publishedAt,
          },
        });
      }
      if (publishedAt) {
        await tx.auditLogEntry.create({
          data: {
            action: "agreement.translation.added",
            targetType: "agreement_version",
            targetId: versionId,
            details: { locale: translation.locale, bodySha256: created.bodySha256, source: "seed" },
          },
        });
      }
    });
  }
}

export const DEMO_ACCOUNTS = [
  { email: "admin@accord.local", password: "accord-demo-admin", role: "ADMIN" },
  { email: "auditor@accord.local", password: "accord-demo-auditor", role: "AUDITOR" },
  { email: "user@accord.local", password: "accord-demo-user", role: "USER" },
] as const;

export interface SeedOptions {
  demoAccounts: boolean;
  /**
   * Seed the first customer's agreement as version 1. Default: yes, unless
   * SEED_FIRST_AGREEMENT=0, for an installation that imports its own history
   * (npm run versions:import) as version 1 onwards (docs/versions.md).
   */
  firstAgreement?: boolean;
}

export async function seed(connectionString: string, options: SeedOptions) {
  const firstAgreement = options.firstAgreement ?? process.env.SEED_FIRST_AGREEMENT !== "0";
  const pool = new pg.Pool({ connectionString, max: 2 });
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  try {
    const meta = JSON.parse(read("agreement-v1.json")) as {
      title: string;
      effectiveDate: string;
      lastUpdated: string;
    };
    const body = read("agreement-v1.md");
    const purposes = JSON.parse(read("purposes-v1.json")) as SeedPurpose[];
    const existing = await prisma.agreementVersion.findUnique({
      where: { number: 1 },
      select: { id: true, bodySha256: true },
    });
    if (!existing && firstAgreement) {
      // Purposes are written while the version is still a draft: publishing
      // (setting publishedAt) freezes both, enforced by triggers.
      const draft = await prisma.agreementVersion.create({
        data: {
          title: meta.title,
          bodyMarkdown: body,
          bodySha256: agreementBodySha256(body),
          purposes: {
            create: purposes.map((p, position) => ({ ...p, position, noticeSha256: purposeNoticeSha256(p) })),
          },
        },
      });
      await seedTranslations(prisma, draft.id, null);
      await prisma.agreementVersion.update({
        where: { id: draft.id },
        data: {
          number: 1,
          material: true,
          changeSummary: "First published version of the User Privacy Agreement.",
          effectiveAt: new Date(`${meta.effectiveDate}T00:00:00.000Z`),
          lastUpdated: new Date(`${meta.lastUpdated}T00:00:00.000Z`),
          publishedAt: new Date(`${meta.lastUpdated}T00:00:00.000Z`),
        },
      });
    } else if (existing?.bodySha256 === agreementBodySha256(body)) {
      // Only the seed's own text gets the seed's translations (an installation
      // may have imported another organisation's history as version 1).
      await seedTranslations(prisma, existing.id, new Date());
    }
    if (options.demoAccounts) {
      for (const account of DEMO_ACCOUNTS) {
        const found = await prisma.user.findUnique({ where: { email: account.email }, select: { id: true } });
        if (!found) {
          await prisma.user.create({
            data: {
              email: account.email,
              role: account.role,
              passwordHash: await hashPassword(account.password),
            },
          });
        }
      }
    }
  } finally {
    await prisma.$disconnect();
    await pool.end();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const url = process.env.DATABASE_URL;
  if (!url) {
    console.error("DATABASE_URL is not set: cannot seed.");
    process.exit(1);
  }
  // Demo accounts only for local trials (npm start on the embedded database sets this).
  const demoAccounts = process.env.SEED_DEMO_ACCOUNTS === "1";
  await seed(url, { demoAccounts });
  const firstAgreement = process.env.SEED_FIRST_AGREEMENT !== "0";
  console.log(
    `Seeded ${firstAgreement ? "agreement version 1" : "no agreement (SEED_FIRST_AGREEMENT=0)"}${demoAccounts ? " and demo accounts" : ""}.`,
  );
}
