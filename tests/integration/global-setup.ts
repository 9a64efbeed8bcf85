// One database for the integration run: created, migrated and seeded here,
// dropped at the end. Test files share it and use their own users.
import { randomBytes } from "node:crypto";
import { createTestDatabase } from "../helpers/test-database";

export default async function setup() {
  const database = await createTestDatabase();
  process.env.DATABASE_URL = database.url;
  process.env.NEXTAUTH_SECRET ??= randomBytes(32).toString("hex");
  process.env.DATABASE_POOL_SIZE ??= "20";
  const { seed } = await import("../../prisma/seed");
  await seed(database.url, { demoAccounts: false });
  return async () => {
    await database.drop();
  };
}
