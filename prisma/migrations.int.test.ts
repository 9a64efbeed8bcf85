/**
 * The migrations, the schema and the integrity triggers, against a real
 * PostgreSQL (see tests/helpers/test-database.ts).
 */
import { createHash, randomUUID } from "node:crypto";
import { mkdtemp, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "../tests/helpers/test-database";
import type { TestDatabase } from "../tests/helpers/test-database";
import {
  MIGRATIONS_DIR,
  SCHEMA_PATH,
  applyMigrations,
  diffDatabaseToSchema,
  diffMigrationsToSchema,
  diffSchemas,
  readMigrationsList,
} from "./migrate";
import { NO_GRANTS, TABLE_GRANTS } from "./grants";

const SNAPSHOT_PATH = path.join(MIGRATIONS_DIR, "schema.snapshot.prisma");

let schema: string;
let db: TestDatabase;
let client: pg.Client;

beforeAll(async () => {
  schema = await readFile(SCHEMA_PATH, "utf8");
  db = await createTestDatabase();
  client = new pg.Client({ connectionString: db.url });
  await client.connect();
});

afterAll(async () => {
  await client?.end();
  await db?.drop();
});

describe("schema and migrations agree", () => {
  it("the snapshot is the current schema (run `npm run db:diff -- <name>` after editing schema.prisma)", async () => {
    const snapshot = await readFile(SNAPSHOT_PATH, "utf8");
    expect(await diffSchemas(snapshot, schema)).toBe("");
  });

  it("a database built by the migrations matches schema.prisma", async () => {
    expect(await diffDatabaseToSchema(db.url, schema)).toBe("");
  });

  it("replaying the migrations in a shadow database matches schema.prisma", async () => {
    expect(await diffMigrationsToSchema(db.url, schema)).toBe("");
  });

  it("notices drift: a column the migrations lack is reported", async () => {
    const drifted = schema.replace(/(model RateLimit \{\n)/, "$1  note String?\n");
    expect(drifted).not.toBe(schema);
    expect(await diffDatabaseToSchema(db.url, drifted)).toContain('ALTER TABLE "rate_limits" ADD COLUMN');
  });
});

describe("runtime role grants (prisma/grants.ts)", () => {
  it("name every table exactly once: a new table needs its line there", async () => {
    const { rows } = await client.query<{ name: string }>(
      "SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename",
    );
    const tables = rows
      .map((row) => row.name)
      .filter((name) => !(NO_GRANTS as readonly string[]).includes(name));
    expect(Object.keys(TABLE_GRANTS).sort()).toEqual(tables);
  });

  it("leave the runtime role owning nothing and unable to write the ledger tables directly", async () => {
    const { rows } = await client.query<{ table_name: string; privilege_type: string }>(
      `SELECT table_name, privilege_type FROM information_schema.role_table_grants
        WHERE grantee = 'accord_runtime' AND table_name IN ('consent_events', 'consent_states', 'ledger_leaves',
          'ledger_tree_nodes', 'ledger_tree_checkpoints') ORDER BY table_name`,
    );
    expect(new Set(rows.map((row) => row.privilege_type))).toEqual(new Set(["SELECT"]));
    const owned = await client.query(
      "SELECT 1 FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner WHERE r.rolname = 'accord_runtime'",
    );
    expect(owned.rowCount).toBe(0);
  });
});

describe("applying migrations", () => {
  it("records every migration like `prisma migrate deploy`, checksum included", async () => {
    const { migrationDirectories } = await readMigrationsList(MIGRATIONS_DIR);
    const { rows } = await client.query<{
      migration_name: string;
      checksum: string;
      done: boolean;
      steps: number;
    }>(
      `SELECT migration_name, checksum, finished_at IS NOT NULL AND rolled_back_at IS NULL AS done,
              applied_steps_count AS steps
         FROM _prisma_migrations ORDER BY migration_name`,
    );
    const expected = migrationDirectories.map(({ path: name, migrationFile }) => {
      if (migrationFile.content.tag !== "ok") throw new Error(`unreadable migration ${name}`);
      const checksum = createHash("sha256").update(migrationFile.content.value).digest("hex");
      return { migration_name: name, checksum, done: true, steps: 1 };
    });
    expect(rows).toEqual(expected);
    expect(rows.map((row) => row.migration_name)).toEqual(
      expect.arrayContaining(["20261129000000_init", "20261129000100_integrity_triggers"]),
    );
  });

  it("a second run applies nothing", async () => {
    expect(await applyMigrations(db.url)).toEqual({ applied: [] });
  });

  describe("with a scratch migrations folder", () => {
    let scratch: TestDatabase;
    let dir: string;

    beforeAll(async () => {
      scratch = await createTestDatabase({ migrate: false });
      dir = await mkdtemp(path.join(tmpdir(), "accord-migrations-"));
    });
    afterAll(async () => {
      await scratch?.drop();
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    async function writeMigration(name: string, sql: string, provider = "postgresql"): Promise<void> {
      await mkdir(path.join(dir, name), { recursive: true });
      await writeFile(path.join(dir, name, "migration.sql"), sql);
      await writeFile(path.join(dir, "migration_lock.toml"), `provider = "${provider}"\n`);
    }

    it("refuses a lock file for another provider", async () => {
      await writeMigration("20000101000000_a", "CREATE TABLE a (id int);", "mysql");
      await expect(applyMigrations(scratch.url, undefined, { migrationsDir: dir })).rejects.toThrow(/mysql/);
    });

    it("runs a script whole: dollar-quoted bodies work and a failure rolls the whole script back", async () => {
      await writeMigration(
        "20000101000000_a",
        `CREATE TABLE a (id int);
         CREATE FUNCTION a_noop() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END; $$;`,
      );
      await writeMigration("20000101000100_b", "CREATE TABLE b (id int);\nSELECT no_such_function();\n");
      const logs: string[] = [];
      await expect(
        applyMigrations(scratch.url, (line) => logs.push(line), { migrationsDir: dir }),
      ).rejects.toThrow(/no_such_function/);
      expect(logs).toEqual(["applying 20000101000000_a", "applying 20000101000100_b"]);

      const scratchClient = new pg.Client({ connectionString: scratch.url });
      await scratchClient.connect();
      try {
        const tables = await scratchClient.query<{ name: string | null }>(
          "SELECT to_regclass('a')::text AS name UNION ALL SELECT to_regclass('b')::text",
        );
        expect(tables.rows.map((row) => row.name)).toEqual(["a", null]);
        const failed = await scratchClient.query<{ migration_name: string; logs: string }>(
          "SELECT migration_name, logs FROM _prisma_migrations WHERE finished_at IS NULL",
        );
        expect(failed.rows).toEqual([
          { migration_name: "20000101000100_b", logs: expect.stringMatching(/no_such_function/) },
        ]);
      } finally {
        await scratchClient.end();
      }
      // Like `migrate deploy`: nothing more until the failure is resolved (P3009).
      await expect(applyMigrations(scratch.url, undefined, { migrationsDir: dir })).rejects.toThrow(
        /failed migrations/,
      );
    });
  });
});

describe("integrity triggers", () => {
  const sha = "0".repeat(64);
  const uuid = () => randomUUID();

  /** Runs `sql` and returns the PostgreSQL error it raised. */
  async function errorOf(sql: string, params: unknown[] = []): Promise<{ code?: string; message: string }> {
    try {
      await client.query(sql, params);
    } catch (error) {
      return error as { code?: string; message: string };
    }
    throw new Error(`expected this statement to fail: ${sql}`);
  }

  async function insertConsentEvent(): Promise<string> {
    const id = uuid();
    await client.query(
      `INSERT INTO consent_events (id, subject_id, seq, action, version_id, version_number, notice_sha256,
         method, recorded_at, idempotency_key, prev_hash, hash)
       VALUES ($1, $2, 1, 'AGREEMENT_ACCEPTED', $3, 1, $4, 'WEB', now(), $5, $4, $4)`,
      [id, uuid(), uuid(), sha, `key-${id}`],
    );
    return id;
  }

  async function insertVersion(): Promise<string> {
    const id = uuid();
    await client.query(
      "INSERT INTO agreement_versions (id, title, body_markdown, body_sha256) VALUES ($1, 'Terms', '# Terms', $2)",
      [id, sha],
    );
    return id;
  }

  async function insertPurpose(versionId: string, key: string): Promise<string> {
    const id = uuid();
    await client.query(
      `INSERT INTO purposes (id, version_id, key, name, description, notice_sha256)
       VALUES ($1, $2, $3, $3, 'Why we need it', $4)`,
      [id, versionId, key, sha],
    );
    return id;
  }

  let nextNumber = 1;
  async function publish(versionId: string): Promise<number> {
    const number = nextNumber++;
    await client.query("UPDATE agreement_versions SET published_at = now(), number = $2 WHERE id = $1", [
      versionId,
      number,
    ]);
    return number;
  }

  describe("append-only tables", () => {
    it("consent_events accepts inserts and refuses UPDATE, DELETE and TRUNCATE", async () => {
      const id = await insertConsentEvent();
      expect(await errorOf("UPDATE consent_events SET locale = 'fr' WHERE id = $1", [id])).toMatchObject({
        code: "ZA001",
        message: "consent_events is append-only: UPDATE is not allowed",
      });
      expect(await errorOf("DELETE FROM consent_events WHERE id = $1", [id])).toMatchObject({
        code: "ZA001",
        message: "consent_events is append-only: DELETE is not allowed",
      });
      expect(await errorOf("TRUNCATE consent_events")).toMatchObject({
        code: "ZA001",
        message: "consent_events is append-only: TRUNCATE is not allowed",
      });
      const { rowCount } = await client.query("SELECT 1 FROM consent_events WHERE id = $1", [id]);
      expect(rowCount).toBe(1);
    });

    it("audit_log refuses UPDATE, DELETE and TRUNCATE", async () => {
      const { rows } = await client.query<{ id: string }>(
        "INSERT INTO audit_log (action) VALUES ('agreement.publish') RETURNING id",
      );
      const id = rows[0]?.id;
      expect(await errorOf("UPDATE audit_log SET action = 'x' WHERE id = $1", [id])).toMatchObject({
        code: "ZA001",
        message: "audit_log is append-only: UPDATE is not allowed",
      });
      expect(await errorOf("DELETE FROM audit_log WHERE id = $1", [id])).toMatchObject({ code: "ZA001" });
      expect(await errorOf("TRUNCATE audit_log")).toMatchObject({ code: "ZA001" });
    });

    it("ledger_checkpoints refuses UPDATE, DELETE and TRUNCATE", async () => {
      const { rows } = await client.query<{ id: number }>(
        `INSERT INTO ledger_checkpoints (txid_from, txid_to, event_count, merkle_root)
         VALUES (1, 2, 0, $1) RETURNING id`,
        [sha],
      );
      const id = rows[0]?.id;
      expect(
        await errorOf("UPDATE ledger_checkpoints SET event_count = 5 WHERE id = $1", [id]),
      ).toMatchObject({
        code: "ZA001",
        message: "ledger_checkpoints is append-only: UPDATE is not allowed",
      });
      expect(await errorOf("DELETE FROM ledger_checkpoints WHERE id = $1", [id])).toMatchObject({
        code: "ZA001",
      });
      expect(await errorOf("TRUNCATE ledger_checkpoints")).toMatchObject({ code: "ZA001" });
    });
  });

  describe("agreement versions", () => {
    it("a draft can be edited and given purposes, then published, then nothing changes", async () => {
      const versionId = await insertVersion();
      await client.query("UPDATE agreement_versions SET title = 'Terms of Service' WHERE id = $1", [
        versionId,
      ]);
      const purposeId = await insertPurpose(versionId, "analytics");
      await client.query("UPDATE purposes SET name = 'Analytics' WHERE id = $1", [purposeId]);
      const number = await publish(versionId);

      expect(
        await errorOf("UPDATE agreement_versions SET title = 'Changed' WHERE id = $1", [versionId]),
      ).toMatchObject({
        code: "ZA002",
        message: `agreement version ${number} is published and immutable`,
      });
      expect(
        await errorOf("UPDATE agreement_versions SET published_at = NULL WHERE id = $1", [versionId]),
      ).toMatchObject({ code: "ZA002" });
      expect(await errorOf("DELETE FROM agreement_versions WHERE id = $1", [versionId])).toMatchObject({
        code: "ZA002",
        message: `agreement version ${number} is published and immutable`,
      });

      const { rows } = await client.query<{ title: string }>(
        "SELECT title FROM agreement_versions WHERE id = $1",
        [versionId],
      );
      expect(rows).toEqual([{ title: "Terms of Service" }]);
    });

    it("a published version's purposes cannot be added, changed, moved or removed", async () => {
      const versionId = await insertVersion();
      const purposeId = await insertPurpose(versionId, "essential");
      const number = await publish(versionId);
      const message = `agreement version ${number} is published and immutable: its purposes cannot change`;

      const insert = errorOf(
        `INSERT INTO purposes (id, version_id, key, name, description, notice_sha256)
         VALUES ($1, $2, 'marketing', 'Marketing', 'Offers', $3)`,
        [uuid(), versionId, sha],
      );
      expect(await insert).toMatchObject({ code: "ZA002", message });
      expect(await errorOf("UPDATE purposes SET name = 'Changed' WHERE id = $1", [purposeId])).toMatchObject({
        code: "ZA002",
        message,
      });
      expect(await errorOf("DELETE FROM purposes WHERE id = $1", [purposeId])).toMatchObject({
        code: "ZA002",
        message,
      });
      // CASCADE: purpose_translations references purposes, so a plain TRUNCATE stops at the foreign key first.
      expect(await errorOf("TRUNCATE purposes CASCADE")).toMatchObject({ code: "ZA002" });

      // Moving a draft's purpose into the published version is adding one to it.
      const draftId = await insertVersion();
      const draftPurposeId = await insertPurpose(draftId, "essential");
      expect(
        await errorOf("UPDATE purposes SET version_id = $2 WHERE id = $1", [draftPurposeId, versionId]),
      ).toMatchObject({ code: "ZA002", message });
    });

    it("deleting a draft deletes its purposes through the cascade", async () => {
      const draftId = await insertVersion();
      await insertPurpose(draftId, "essential");
      await insertPurpose(draftId, "analytics");
      await client.query("DELETE FROM agreement_versions WHERE id = $1", [draftId]);
      const { rowCount } = await client.query("SELECT 1 FROM purposes WHERE version_id = $1", [draftId]);
      expect(rowCount).toBe(0);
    });
  });
});
