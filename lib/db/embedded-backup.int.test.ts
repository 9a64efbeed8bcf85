/**
 * `npm run db:backup` / `db:restore` for the embedded database: a backup
 * taken, the database changed, the backup restored gives back exactly what
 * was backed up; the replaced folder is kept; neither runs while another
 * process holds the folder; a file that is not a backup changes nothing.
 */
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backupEmbeddedDatabase, restoreEmbeddedDatabase } from "./embedded-backup";
import { DataDirLockedError, lockDataDir } from "./data-dir-lock";

const SLOW = 240_000; // several WebAssembly Postgres boots

describe("embedded database backup and restore", () => {
  let root: string;
  let dataDir: string;

  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), "accord-backup-"));
    dataDir = path.join(root, "pglite");
  });
  afterAll(async () => {
    if (root) await rm(root, { recursive: true, force: true });
  });

  async function withDb<T>(run: (db: PGlite) => Promise<T>): Promise<T> {
    const db = await PGlite.create({ dataDir });
    try {
      return await run(db);
    } finally {
      await db.close();
    }
  }
  const rows = () =>
    withDb(async (db) => (await db.query<{ id: number }>("SELECT id FROM consent_events ORDER BY id")).rows);

  it("restores exactly what was backed up, keeping the folder it replaces", { timeout: SLOW }, async () => {
    await withDb(async (db) => {
      await db.exec(
        "CREATE TABLE consent_events (id int PRIMARY KEY); INSERT INTO consent_events VALUES (1), (2), (3);",
      );
    });
    const file = path.join(root, "backups", "one.tar.gz");
    const backup = await backupEmbeddedDatabase(dataDir, file);
    expect(backup.bytes).toBeGreaterThan(0);
    expect(existsSync(file)).toBe(true);

    await withDb((db) =>
      db.exec("INSERT INTO consent_events VALUES (4), (5); DELETE FROM consent_events WHERE id = 1;"),
    );
    expect(await rows()).toEqual([{ id: 2 }, { id: 3 }, { id: 4 }, { id: 5 }]);

    const restored = await restoreEmbeddedDatabase(dataDir, file, "t1");
    expect(restored).toEqual({ previous: `${dataDir}.before-restore-t1`, consentEvents: 3 });
    expect(await rows()).toEqual([{ id: 1 }, { id: 2 }, { id: 3 }]);
    expect(existsSync(`${dataDir}.before-restore-t1`)).toBe(true);
  });

  it("refuses while another process holds the folder, naming it", { timeout: SLOW }, async () => {
    const held = await lockDataDir(dataDir, { purpose: "npm start, serving on 127.0.0.1:54329" });
    try {
      const refused = backupEmbeddedDatabase(dataDir, path.join(root, "two.tar.gz"));
      await expect(refused).rejects.toBeInstanceOf(DataDirLockedError);
      await expect(refused).rejects.toThrow(`is in use by process ${process.pid}`);
      await expect(
        restoreEmbeddedDatabase(dataDir, path.join(root, "backups", "one.tar.gz"), "t2"),
      ).rejects.toThrow("npm start, serving on 127.0.0.1:54329");
    } finally {
      await held.release();
    }
    expect(existsSync(`${dataDir}.before-restore-t2`)).toBe(false);
  });

  it("leaves the database as it was when the file is not a backup", { timeout: SLOW }, async () => {
    const junk = path.join(root, "junk.tar.gz");
    await writeFile(junk, "not a backup");
    await expect(restoreEmbeddedDatabase(dataDir, junk, "t3")).rejects.toThrow(`${dataDir} is unchanged`);
    expect(await rows()).toEqual([{ id: 1 }, { id: 2 }, { id: 3 }]);
    expect(existsSync(`${dataDir}.before-restore-t3`)).toBe(false);
  });
});
