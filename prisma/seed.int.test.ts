import { readFileSync } from "node:fs";
import pg from "pg";
import { PrismaPg } from "@prisma/adapter-pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { createTestDatabase, type TestDatabase } from "../tests/helpers/test-database";
import { seed } from "./seed";
import { endPool } from "@/tests/helpers/end-pool";

// A private database: demo accounts must not leak into other tests' counts.
let database: TestDatabase;
let pool: pg.Pool;
let prisma: PrismaClient;
beforeAll(async () => {
  database = await createTestDatabase();
  pool = new pg.Pool({ connectionString: database.url, max: 2 });
  prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
});
afterAll(async () => {
  await prisma.$disconnect();
  await endPool(pool);
  await database.drop();
});

describe("seed", () => {
  it("ships the customer's agreement as version 1 with its dates and purposes, idempotently", async () => {
    await seed(database.url, { demoAccounts: false });
    await seed(database.url, { demoAccounts: false });
    const versions = await prisma.agreementVersion.findMany({ include: { purposes: true } });
    const v1 = versions.filter((v) => v.number === 1);
    expect(v1).toHaveLength(1);
    const [version] = v1;
    expect(version!.effectiveAt?.toISOString()).toBe("2024-08-10T00:00:00.000Z");
    expect(version!.lastUpdated?.toISOString().slice(0, 10)).toBe("2024-08-01");
    expect(version!.bodyMarkdown).toBe(readFileSync("prisma/seed-data/agreement-v1.md", "utf8"));
    expect(
      version!.purposes
        .filter((p) => p.basic)
        .map((p) => p.key)
        .sort(),
    ).toEqual(["security", "service"]);
    expect(version!.purposes.filter((p) => !p.basic)).toHaveLength(6);
  });

  it("creates demo accounts only when asked", async () => {
    const before = await prisma.user.count({ where: { email: { endsWith: "@accord.local" } } });
    expect(before).toBe(0);
    await seed(database.url, { demoAccounts: true });
    await seed(database.url, { demoAccounts: true });
    const roles = await prisma.user.findMany({
      where: { email: { endsWith: "@accord.local" } },
      select: { role: true },
    });
    expect(roles.map((r) => r.role).sort()).toEqual(["ADMIN", "AUDITOR", "USER"]);
  });
});
