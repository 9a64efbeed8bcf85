/**
 * Prisma Migrate without Prisma's native schema engine.
 *
 * The `prisma` CLI downloads a native schema engine from a host this network
 * cannot reach, so `prisma migrate deploy` / `migrate diff` are unavailable.
 * Prisma publishes the same engine compiled to WebAssembly
 * (`@prisma/schema-engine-wasm`, pinned in package.json to the build matching
 * prisma 7.10.0): this module drives it through `@prisma/adapter-pg`.
 *
 *   applyMigrations(url)        = `prisma migrate deploy` (same `_prisma_migrations`
 *                                 bookkeeping, checksums and lock file check)
 *   diffSchemas(from, to)       = `prisma migrate diff --from-schema … --to-schema … --script`
 *                                 (offline: needs no database)
 *   diffMigrationsToSchema(...) = `prisma migrate diff --from-migrations … --to-schema …`
 *                                 (replays the migrations in a throw-away shadow database)
 *   diffDatabaseToSchema(...)   = `prisma migrate diff --from-config-datasource … --to-schema …`
 *                                 (reads a live database's structure)
 *
 * Three shims make the engine and adapter-pg 7.10 work together; each is
 * explained where it is made: migration scripts are sent whole
 * (WholeScriptPgAdapterFactory), pg_catalog "char" columns are readable
 * (labelCharColumnsAsText), and a stray engine timer cannot hold the
 * process open (loadEngineModule).
 *
 * CLI: `npm run db:migrate` (or `npx tsx prisma/migrate.ts`) applies
 * prisma/migrations to $DATABASE_URL, prints what it applied, and exits 1 with
 * the reason on failure.
 */
import { randomUUID } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { PrismaPg } from "@prisma/adapter-pg";
import { bindMigrationAwareSqlAdapterFactory, ColumnTypeEnum } from "@prisma/driver-adapter-utils";
import type {
  SqlDriverAdapter,
  SqlMigrationAwareDriverAdapterFactory,
  SqlQuery,
  SqlResultSet,
} from "@prisma/driver-adapter-utils";
import type {
  DiffTarget,
  MigrationList,
  SchemaEngine,
  SchemaFilter,
} from "@prisma/schema-engine-wasm/schema_engine_bg";
import pg from "pg";
import { grantsSql } from "./grants";

export const MIGRATIONS_DIR = fileURLToPath(new URL("./migrations", import.meta.url));
export const SCHEMA_PATH = fileURLToPath(new URL("./schema.prisma", import.meta.url));

const LOCKFILE_NAME = "migration_lock.toml";
const MIGRATION_FILE_NAME = "migration.sql";
/** Engine commands take their schemas explicitly; where it wants one anyway, the provider is all it needs. */
const DATASOURCE_ONLY = 'datasource db {\n  provider = "postgresql"\n}\n';
const NO_FILTERS: SchemaFilter = { externalTables: [], externalEnums: [] };
/** What the engine prints for a diff with no changes; we report it as "". */
const EMPTY_MIGRATION = "-- This is an empty migration.";

export interface ApplyMigrationsOptions {
  /** Defaults to prisma/migrations next to this file. */
  migrationsDir?: string;
  /**
   * The app's runtime role: after the migrations, it gets exactly the
   * privileges of prisma/grants.ts (everything else revoked). Unset: no
   * grants are changed (a single-role setup, where the app owns its tables).
   */
  runtimeRole?: string;
}

/**
 * Applies every migration in the migrations directory that the database has
 * not recorded in `_prisma_migrations` yet, in directory-name order, and
 * returns the names it applied (empty when the database is up to date).
 *
 * `log` gets "applying <name>" as each migration starts, and the engine's
 * warnings and errors.
 *
 * Rejects when a migration fails; like `migrate deploy`, the failed migration
 * stays recorded as failed (P3009) until it is resolved by hand. Each script
 * runs in one implicit transaction, so a failed one leaves no partial changes.
 */
export async function applyMigrations(
  connectionString: string,
  log?: (line: string) => void,
  options: ApplyMigrationsOptions = {},
): Promise<{ applied: string[] }> {
  const migrationsList = await readMigrationsList(options.migrationsDir ?? MIGRATIONS_DIR);
  const factory = new WholeScriptPgAdapterFactory(connectionString);
  try {
    const engine = await startEngine(factory, log);
    try {
      const { appliedMigrationNames } = await engine.applyMigrations({ migrationsList, filters: NO_FILTERS });
      if (options.runtimeRole) await applyGrants(connectionString, options.runtimeRole);
      return { applied: appliedMigrationNames };
    } finally {
      engine.free();
    }
  } finally {
    await factory.close();
  }
}

/** Gives `role` exactly the privileges of prisma/grants.ts; run as the owner of the tables. */
export async function applyGrants(connectionString: string, role: string): Promise<void> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    // One simple-query message: one implicit transaction, all or nothing.
    await client.query(grantsSql(role));
  } finally {
    await client.end();
  }
}

/**
 * Creates a login role that owns nothing, unless it exists (tests and the
 * embedded database; on a real server the operator creates it, see
 * docs/deployment.md). Needs CREATEROLE.
 */
export async function ensureRuntimeRole(connectionString: string, role: string): Promise<void> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    const name = client.escapeIdentifier(role);
    // Parallel test files may race to create it: losing the race is fine.
    await client.query(
      `DO $$ BEGIN CREATE ROLE ${name} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT;
       EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$`,
    );
  } finally {
    await client.end();
  }
}

/**
 * The SQL migration that turns a database matching `fromSchemaText` (null: an
 * empty database) into one matching `toSchemaText`; "" when they agree.
 *
 * Runs without a database: diffing two schema files never queries one, but the
 * engine insists on a connection at start-up, so it gets `OfflineAdapterFactory`.
 */
export async function diffSchemas(fromSchemaText: string | null, toSchemaText: string): Promise<string> {
  const from: DiffTarget =
    fromSchemaText === null ? { tag: "empty" } : datamodel(fromSchemaText, "from.prisma");
  return diff(new OfflineAdapterFactory(), from, datamodel(toSchemaText));
}

/**
 * The SQL that would still be needed after applying every migration to bring
 * the database in line with `toSchemaText`; "" means migrations and schema
 * agree. The engine replays the migrations in a shadow database that it
 * creates (and we drop) on the server of `connectionString`, so that role
 * needs CREATEDB. Triggers and functions are invisible to this comparison:
 * Prisma's schema describer does not model them.
 */
export async function diffMigrationsToSchema(
  connectionString: string,
  toSchemaText: string,
  options: ApplyMigrationsOptions = {},
): Promise<string> {
  const from: DiffTarget = {
    tag: "migrations",
    ...(await readMigrationsList(options.migrationsDir ?? MIGRATIONS_DIR)),
  };
  return diffToSchema(connectionString, from, toSchemaText);
}

function datamodel(content: string, file = "schema.prisma"): DiffTarget {
  return { tag: "schemaDatamodel", files: [{ path: file, content }] };
}

async function diffToSchema(connectionString: string, from: DiffTarget, toSchemaText: string) {
  const factory = new WholeScriptPgAdapterFactory(connectionString);
  try {
    return await diff(factory, from, datamodel(toSchemaText));
  } finally {
    await factory.close();
  }
}

/**
 * The SQL that would bring the live database at `connectionString` in line
 * with `toSchemaText`; "" means they agree (triggers and functions aside).
 * Read-only: it describes the database and changes nothing.
 */
export async function diffDatabaseToSchema(connectionString: string, toSchemaText: string): Promise<string> {
  // With a driver adapter the engine reads the adapter's database, whatever
  // the datasource block says.
  const from: DiffTarget = {
    tag: "schemaDatasource",
    files: [{ path: "schema.prisma", content: DATASOURCE_ONLY }],
    configDir: path.dirname(SCHEMA_PATH),
  };
  return diffToSchema(connectionString, from, toSchemaText);
}

async function diff(
  factory: SqlMigrationAwareDriverAdapterFactory,
  from: DiffTarget,
  to: DiffTarget,
): Promise<string> {
  const engine = await startEngine(factory);
  try {
    const result = await engine.diff({ from, to, script: true, exitCode: null, filters: NO_FILTERS });
    const sql = (result.stdout ?? "").trim();
    return sql === EMPTY_MIGRATION || sql === "" ? "" : `${sql}\n`;
  } finally {
    engine.free();
  }
}

/**
 * Reads the migrations folder the way the Prisma CLI does before handing it to
 * the engine: every sub-folder is a migration, applied in name order (the
 * timestamp prefix), and the engine checks the lock file's provider.
 */
export async function readMigrationsList(migrationsDir: string): Promise<MigrationList> {
  const baseDir = path.resolve(migrationsDir);
  const entries = await readdir(baseDir, { withFileTypes: true }).catch((error: unknown) => {
    throw new Error(`cannot read the migrations folder ${baseDir}: ${errorMessage(error)}`);
  });
  const names = entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  const migrationDirectories = await Promise.all(
    names.map(async (name) => ({
      path: name,
      migrationFile: {
        path: MIGRATION_FILE_NAME,
        // A missing migration.sql is reported by the engine, with the folder name.
        content: await readFile(path.join(baseDir, name, MIGRATION_FILE_NAME), "utf8").then(
          (value) => ({ tag: "ok" as const, value }),
          (error: unknown) => ({ tag: "error" as const, value: errorMessage(error) }),
        ),
      },
    })),
  );
  const lockfileContent = await readFile(path.join(baseDir, LOCKFILE_NAME), "utf8").catch(() => null);
  return {
    baseDir,
    lockfile: { path: LOCKFILE_NAME, content: lockfileContent },
    shadowDbInitScript: "",
    migrationDirectories,
  };
}

// ---------------------------------------------------------------------------
// The WebAssembly engine

type EngineModule = typeof import("@prisma/schema-engine-wasm/schema_engine_bg");
let engineModule: Promise<EngineModule> | undefined;

/**
 * The package's own entry point does `import * as wasm from "./x.wasm"`, which
 * Node 20 cannot load, so we do by hand what that entry does: instantiate the
 * .wasm with the JS glue as its import object and hand the exports back to the
 * glue. Once per process: the glue module keeps the instance in module state.
 */
function loadEngineModule(): Promise<EngineModule> {
  engineModule ??= (async () => {
    const require = createRequire(import.meta.url);
    // The exports map hides package.json, but the glue file is exported and
    // sits next to the .wasm.
    const gluePath = require.resolve("@prisma/schema-engine-wasm/schema_engine_bg");
    const glue = await import("@prisma/schema-engine-wasm/schema_engine_bg");
    const bytes = await readFile(path.join(path.dirname(gluePath), "schema_engine_bg.wasm"));
    const imports: WebAssembly.ModuleImports = { ...(glue as unknown as WebAssembly.ModuleImports) };
    // The engine arms a 10 s timeout around taking the migration advisory
    // lock and never clears it (the glue has no clearTimeout), which kept
    // every CLI run alive for 10 s after finishing. An unref'd timer still
    // fires while the lock query is pending (that query keeps the process up).
    for (const name of Object.keys(imports).filter((key) => key.startsWith("__wbg_setTimeout_"))) {
      imports[name] = (callback: () => void, ms: number) => setTimeout(callback, ms >>> 0).unref();
    }
    const { instance } = await WebAssembly.instantiate(bytes, { "./schema_engine_bg.js": imports });
    glue.__wbg_set_wasm(instance.exports);
    (instance.exports as { __wbindgen_start: () => void }).__wbindgen_start();
    return glue;
  })();
  engineModule.catch(() => {
    engineModule = undefined; // let a later call retry instead of caching the failure
  });
  return engineModule;
}

async function startEngine(
  factory: SqlMigrationAwareDriverAdapterFactory,
  log?: (line: string) => void,
): Promise<SchemaEngine> {
  const { SchemaEngine } = await loadEngineModule();
  return SchemaEngine.new(
    { datamodels: [["schema.prisma", DATASOURCE_ONLY]] },
    (raw: string) => {
      const line = log && engineLogLine(raw);
      if (line) log(line);
    },
    bindMigrationAwareSqlAdapterFactory(factory),
  );
}

/**
 * The engine logs tracing JSON at info level and up. Keep what an operator
 * wants to see, as one readable line each: which migration is being applied
 * (so a hang or failure can be placed) and any warning or error.
 */
function engineLogLine(raw: string): string | undefined {
  let event: { level?: string; fields?: Record<string, unknown> };
  try {
    event = JSON.parse(raw) as typeof event;
  } catch {
    return `schema engine: ${raw}`;
  }
  const message = String(event.fields?.message ?? "");
  const applying = /^Applying `(.+)`$/.exec(message);
  if (applying) return `applying ${applying[1]}`;
  const level = (event.level ?? "").toLowerCase();
  return level === "warn" || level === "error" ? `schema engine ${level}: ${message}` : undefined;
}

// ---------------------------------------------------------------------------
// Driver adapters for the engine

/**
 * `@prisma/adapter-pg` with one fix, plus clean-up.
 *
 * The fix: adapter-pg 7.10's `executeScript` splits the script on every `;`
 * and sends the pieces one by one. That breaks `$$`-quoted PL/pgSQL bodies
 * ("unterminated dollar-quoted string", leaving the migration failed) and
 * runs a migration statement by statement, so a failure half-way leaves it
 * half-applied. The native engine sends the whole script in one simple-query
 * message, which Postgres parses itself and runs as one implicit transaction.
 * We do the same by routing the script through the adapter's `executeRaw`
 * with no parameters: node-postgres uses the simple-query protocol for a query
 * without values (extended protocol allows one statement only), and errors
 * still go through adapter-pg's own mapping, so the engine reports the real
 * Postgres message instead of "External error id#0".
 *
 * The clean-up: PrismaPg opens a pool per connect() and the engine never
 * closes them; PrismaPg's connectToShadowDb also drops the shadow database
 * while its own pool is still connected (which fails) and leaks its admin
 * pool. We track everything and close it in close().
 */
class WholeScriptPgAdapterFactory implements SqlMigrationAwareDriverAdapterFactory {
  readonly provider = "postgres";
  readonly adapterName = "@prisma/adapter-pg";
  private readonly cleanups: (() => Promise<void>)[] = [];

  constructor(private readonly connectionString: string) {}

  async connect(): Promise<SqlDriverAdapter> {
    return this.open(this.connectionString);
  }

  async connectToShadowDb(): Promise<SqlDriverAdapter> {
    const name = `prisma_migrate_shadow_db_${randomUUID().replaceAll("-", "")}`;
    await this.admin(`CREATE DATABASE "${name}"`);
    const shadowUrl = new URL(this.connectionString);
    shadowUrl.pathname = `/${name}`;
    const adapter = await this.open(shadowUrl.toString());
    // FORCE: the engine may not have closed its shadow pool by now.
    this.cleanups.push(() => this.admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    return adapter;
  }

  /** Closes every pool the engine opened, newest first, and drops shadow databases. */
  async close(): Promise<void> {
    const errors: unknown[] = [];
    for (const cleanup of this.cleanups.splice(0).reverse()) {
      await cleanup().catch((error: unknown) => errors.push(error));
    }
    if (errors.length > 0) throw new AggregateError(errors, "closing the migration connections failed");
  }

  private async open(connectionString: string): Promise<SqlDriverAdapter> {
    const pool = new pg.Pool({ connectionString });
    labelCharColumnsAsText(pool);
    const adapter = await new PrismaPg(pool).connect();
    adapter.executeScript = async (script: string) => {
      await adapter.executeRaw({ sql: script, args: [], argTypes: [] });
    };
    // The engine disposes some adapters itself (the shadow database's) and
    // not others, and pg's Pool.end() throws when called twice.
    const release = adapter.dispose.bind(adapter);
    let closed: Promise<void> | undefined;
    adapter.dispose = () => (closed ??= release().then(() => pool.end()));
    this.cleanups.push(() => adapter.dispose());
    return adapter;
  }

  /** CREATE/DROP DATABASE cannot run inside a transaction: one plain connection. */
  private async admin(sql: string): Promise<void> {
    const client = new pg.Client({ connectionString: this.connectionString });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  }
}

/**
 * The engine reads database structure from pg_catalog columns of Postgres's
 * one-byte `"char"` type (relkind, contype, ...). adapter-pg 7.10 has no
 * mapping for that type and fails with "Column type 'char' could not be
 * deserialized"; on the wire it is a one-character string, so we label it text
 * before the adapter looks. Without this, diffs that read a database (from
 * migrations via a shadow database, or from a live one) are impossible.
 */
function labelCharColumnsAsText(pool: pg.Pool): void {
  const query = pool.query.bind(pool) as (
    config: pg.QueryConfig,
  ) => Promise<pg.QueryResult | pg.QueryResult[]>;
  pool.query = (async (config: pg.QueryConfig) => {
    const result = await query(config);
    // A multi-statement simple query (a migration script) yields one result per statement.
    for (const { fields } of Array.isArray(result) ? result : [result]) {
      for (const field of fields ?? []) {
        if (field.dataTypeID === pg.types.builtins.CHAR) field.dataTypeID = pg.types.builtins.TEXT;
      }
    }
    return result;
  }) as typeof pool.query;
}

/**
 * For diffs between schema files, which never touch a database. The engine
 * still connects at start-up and asks one question (does the schema exist,
 * which server version); we answer it for a plain PostgreSQL and refuse
 * anything else loudly, so an engine upgrade that starts needing a real
 * database fails here rather than silently.
 */
class OfflineAdapterFactory implements SqlMigrationAwareDriverAdapterFactory {
  readonly provider = "postgres";
  readonly adapterName = "@prisma/adapter-pg";

  async connect(): Promise<SqlDriverAdapter> {
    const refuse = (what: string) => async (): Promise<never> => {
      throw new Error(`diffSchemas runs offline, but the schema engine tried to ${what}`);
    };
    return {
      provider: this.provider,
      adapterName: this.adapterName,
      async queryRaw(query: SqlQuery): Promise<SqlResultSet> {
        if (!query.sql.includes("current_setting('server_version_num')")) {
          throw new Error(`diffSchemas runs offline, but the schema engine sent: ${query.sql}`);
        }
        return {
          columnNames: ["exists", "version", "numeric_version"],
          columnTypes: [ColumnTypeEnum.Boolean, ColumnTypeEnum.Text, ColumnTypeEnum.Int32],
          rows: [[true, "PostgreSQL 15.0 (offline)", 150000]],
        };
      },
      executeRaw: refuse("execute SQL"),
      executeScript: refuse("run a script"),
      startTransaction: refuse("start a transaction"),
      dispose: async () => {},
    };
  }

  connectToShadowDb(): Promise<SqlDriverAdapter> {
    return Promise.reject(new Error("diffSchemas runs offline: no shadow database"));
  }
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

// ---------------------------------------------------------------------------
// CLI

/**
 * Who migrates and who gets the runtime grants: DATABASE_OWNER_URL (the
 * owner of the tables) migrates and grants to the user of DATABASE_URL (the
 * app's role); with only DATABASE_URL, it migrates as that user and grants
 * nothing (docs/deployment.md).
 */
export function migrationTarget(environment: NodeJS.ProcessEnv = process.env): {
  url: string;
  runtimeRole?: string;
} {
  const app = environment.DATABASE_URL;
  const owner = environment.DATABASE_OWNER_URL;
  if (!owner && !app) throw new Error("DATABASE_URL is not set: it must name the database to migrate");
  if (!owner || !app) return { url: (owner ?? app) as string };
  const runtimeRole = decodeURIComponent(new URL(app).username);
  const ownerRole = decodeURIComponent(new URL(owner).username);
  return runtimeRole && runtimeRole !== ownerRole ? { url: owner, runtimeRole } : { url: owner };
}

async function main(): Promise<void> {
  const { url, runtimeRole } = migrationTarget();
  const { applied } = await applyMigrations(url, (line) => console.log(line), { runtimeRole });
  console.log(
    runtimeRole
      ? `Granted the runtime role ${runtimeRole} its privileges (prisma/grants.ts).`
      : "No separate runtime role (set DATABASE_OWNER_URL for migrations and DATABASE_URL for the app).",
  );
  console.log(
    applied.length === 0
      ? "No pending migrations: the database is up to date."
      : `Applied ${applied.length} migration(s): ${applied.join(", ")}`,
  );
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error(`Migration failed: ${errorMessage(error)}`);
    process.exitCode = 1;
  });
}
