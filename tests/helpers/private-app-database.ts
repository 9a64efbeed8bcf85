/**
 * Gives one integration test file a database of its own and points the app's
 * services (lib/db) at it. For tests that change global state other files rely
 * on: publishing versions, draining the whole notification outbox.
 *
 *   const db = await usePrivateAppDatabase();       // in beforeAll, BEFORE importing services
 *   const { publishVersion } = await import("@/lib/agreements/publish");
 *   ...
 *   await db.release();                              // in afterAll
 */
import { createTestDatabase } from "./test-database";
import { seed } from "../../prisma/seed";
import { endPool } from "@/tests/helpers/end-pool";

type DbGlobals = { accordPool?: import("pg").Pool; accordPrisma?: { $disconnect(): Promise<void> } };

export async function usePrivateAppDatabase(options: { firstAgreement?: boolean } = {}) {
  const database = await createTestDatabase();
  await seed(database.url, { demoAccounts: false, firstAgreement: options.firstAgreement ?? true });
  const previousUrl = process.env.DATABASE_URL;
  const globals = globalThis as DbGlobals;
  // lib/db caches its pool on globalThis; forget it so the next import connects here.
  delete globals.accordPool;
  delete globals.accordPrisma;
  process.env.DATABASE_URL = database.runtimeUrl;
  return {
    url: database.url,
    async release() {
      await globals.accordPrisma?.$disconnect().catch(() => {});
      // endPool waits for the sockets to close: a connection still closing
      // when the database is dropped would be an unhandled error.
      if (globals.accordPool) await endPool(globals.accordPool).catch(() => {});
      delete globals.accordPool;
      delete globals.accordPrisma;
      process.env.DATABASE_URL = previousUrl;
      await database.drop();
    },
  };
}
