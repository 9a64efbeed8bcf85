// One database for the integration run: created, migrated and seeded here,
// dropped at the end. Test files share it and use their own users.
import { randomBytes } from "node:crypto";
import { createTestDatabase } from "../helpers/test-database";
import { generateSignerKey } from "../../lib/ledger/note";

export default async function setup() {
  const database = await createTestDatabase();
  process.env.DATABASE_URL = database.runtimeUrl;
  process.env.NEXTAUTH_SECRET ??= randomBytes(32).toString("hex");
  process.env.DATABASE_POOL_SIZE ??= "20";
  process.env.LEDGER_SIGNING_KEY ??= generateSignerKey("int.accord.test/consent-log");
  const { seed } = await import("../../prisma/seed");
  await seed(database.url, { demoAccounts: false });
  return async () => {
    await database.drop();
  };
}
