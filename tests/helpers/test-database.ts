/**
 * Throw-away PostgreSQL databases for integration tests.
 *
 *   let db: TestDatabase;
 *   beforeAll(async () => { db = await createTestDatabase(); });
 *   afterAll(() => db.drop());
 *
 * Each call creates `accord_test_<random>` on the local server named by
 * TEST_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres) and
 * applies prisma/migrations to it (triggers included), so tests run against
 * exactly what production runs. One database per test file keeps files
 * independent when Vitest runs them in parallel; within a file, tests share it.
 *
 * Tests must never reach a real database: every URL is checked by
 * assertLocalDatabaseUrl before anything connects.
 */
import { randomBytes } from "node:crypto";
import pg from "pg";
import { applyMigrations, ensureRuntimeRole } from "../../prisma/migrate";

const DEFAULT_BASE_URL = "postgres://postgres@127.0.0.1:5432/postgres";
const LOCAL_HOSTS = new Set(["localhost", "127.0.0.1", "::1"]);
const NAME_PREFIX = "accord_test_";
/** The role tests run the app as: owns nothing, has the privileges of prisma/grants.ts. */
export const TEST_RUNTIME_ROLE = "accord_runtime";

export interface TestDatabase {
  /** Connection string of the new database, as its owner (superuser here): migrations, seeds, tampering. */
  url: string;
  /** The same database as the app's runtime role: what the app and services use in tests. */
  runtimeUrl: string;
  /** Drops the database, closing any connection a test left open. Safe to call twice. */
  drop(): Promise<void>;
}

export interface CreateTestDatabaseOptions {
  /** Apply prisma/migrations (default true); false gives an empty database. */
  migrate?: boolean;
}

/**
 * Throws unless `url` points at this machine. Checks the `host` query
 * parameter too, because node-postgres lets it override the URL's host, and
 * refuses a URL without a host, which node-postgres would fill in from PGHOST.
 */
export function assertLocalDatabaseUrl(url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error("Refusing to run tests: the database URL cannot be parsed");
  }
  if (parsed.protocol !== "postgres:" && parsed.protocol !== "postgresql:") {
    throw new Error(`Refusing to run tests: ${parsed.protocol} is not a PostgreSQL URL`);
  }
  const hosts = [parsed.hostname.replace(/^\[(.*)\]$/, "$1"), ...parsed.searchParams.getAll("host")];
  for (const host of hosts) {
    if (!LOCAL_HOSTS.has(host.toLowerCase())) {
      // The URL may hold a password: name only the host.
      throw new Error(
        `Refusing to run tests against database host "${host}": only localhost, 127.0.0.1 and ::1 are allowed`,
      );
    }
  }
}

export async function createTestDatabase(options: CreateTestDatabaseOptions = {}): Promise<TestDatabase> {
  const baseUrl = process.env.TEST_DATABASE_URL || DEFAULT_BASE_URL;
  assertLocalDatabaseUrl(baseUrl);

  const name = `${NAME_PREFIX}${randomBytes(6).toString("hex")}`;
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;

  await runOnServer(baseUrl, `CREATE DATABASE "${name}"`);
  let dropped: Promise<void> | undefined;
  const runtimeUrl = new URL(url);
  runtimeUrl.username = TEST_RUNTIME_ROLE;
  runtimeUrl.password = "";
  const database: TestDatabase = {
    url: url.toString(),
    runtimeUrl: runtimeUrl.toString(),
    // FORCE (PostgreSQL 13+) ends connections a test forgot to close, so a
    // leaked pool cannot make the drop fail and leave the database behind.
    drop: () => (dropped ??= runOnServer(baseUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)),
  };

  if (options.migrate ?? true) {
    try {
      await ensureRuntimeRole(database.url, TEST_RUNTIME_ROLE);
      await applyMigrations(database.url, undefined, { runtimeRole: TEST_RUNTIME_ROLE });
    } catch (error) {
      await database.drop().catch(() => {});
      throw error;
    }
  }
  return database;
}

/** CREATE/DROP DATABASE cannot run in a transaction block: use one plain connection. */
async function runOnServer(baseUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: baseUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
