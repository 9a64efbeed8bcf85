// Idempotent seed: the customer's agreement as version 1 with its purposes,
// and in development one demo account per role. Run: npm run db:seed
import { readFileSync } from "node:fs";
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

export const DEMO_ACCOUNTS = [
  { email: "admin@accord.local", password: "accord-demo-admin", role: "ADMIN" },
  { email: "auditor@accord.local", password: "accord-demo-auditor", role: "AUDITOR" },
  { email: "user@accord.local", password: "accord-demo-user", role: "USER" },
] as const;

export async function seed(connectionString: string, options: { demoAccounts: boolean }) {
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
    const existing = await prisma.agreementVersion.findUnique({ where: { number: 1 }, select: { id: true } });
    if (!existing) {
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
  console.log(`Seeded agreement version 1${demoAccounts ? " and demo accounts" : ""}.`);
}
