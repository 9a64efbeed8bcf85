import "server-only";
import pg from "pg";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { env } from "@/lib/env";
import { sendStatementsUnnamed } from "@/lib/db/unnamed-statements";
import { isDatabaseUnavailable, reportDatabaseBack, reportDatabaseOutage } from "@/lib/db/outage";

// One pool per process, shared by Prisma and the few set-based or streaming
// statements that need the driver itself (exports, bulk notification queueing).
const globalForDb = globalThis as unknown as { accordPool?: pg.Pool; accordPrisma?: PrismaClient };

function createPool(): pg.Pool {
  const created = new pg.Pool({ connectionString: env.DATABASE_URL, max: env.DATABASE_POOL_SIZE });
  if (env.DATABASE_EMBEDDED) sendStatementsUnnamed(created);
  // An idle connection the server closes (restart, failover, a forced drop)
  // must not crash the process: the pool discards it and connects anew.
  created.on("error", (error) => {
    if (isDatabaseUnavailable(error)) reportDatabaseOutage("connection pool", error);
    else console.error(`[db] idle connection closed by the server: ${error.message}`);
  });
  // A new connection succeeded: if an outage was in progress, it is over (one line).
  created.on("connect", () => reportDatabaseBack());
  return created;
}

export const pool = globalForDb.accordPool ?? createPool();

export const prisma =
  globalForDb.accordPrisma ??
  new PrismaClient({
    adapter: new PrismaPg(pool),
    // Secrets never leave the data layer by accident: ask for the hash explicitly.
    omit: { user: { passwordHash: true } },
  });

globalForDb.accordPool = pool;
globalForDb.accordPrisma = prisma;
