/**
 * Backup and restore of the embedded database folder (.data/pglite), for
 * `npm run db:backup` and `npm run db:restore`. A backup is PGlite's own
 * dump of its data folder (dumpDataDir: a tar archive, gzip-compressed), the
 * folder as a stopped Postgres would leave it; a restore opens a fresh folder
 * from it (loadDataDir). Both lock the folder first (./data-dir-lock.ts), so
 * neither runs while `npm start` has the database open: they say which
 * process to stop.
 */
import { existsSync } from "node:fs";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { lockDataDir } from "./data-dir-lock";

export interface BackupResult {
  file: string;
  bytes: number;
}

/** Writes a backup of `dataDir` to `file` (a .tar.gz). */
export async function backupEmbeddedDatabase(dataDir: string, file: string): Promise<BackupResult> {
  if (!existsSync(dataDir)) throw new Error(`There is no embedded database at ${dataDir}.`);
  const lock = await lockDataDir(dataDir, { purpose: "npm run db:backup" });
  try {
    const db = await PGlite.create({ dataDir });
    try {
      const dump = await db.dumpDataDir("gzip");
      const bytes = Buffer.from(await dump.arrayBuffer());
      await mkdir(path.dirname(path.resolve(file)), { recursive: true });
      // Write then rename: a backup file is either whole or absent.
      await writeFile(`${file}.partial`, bytes, { mode: 0o600 });
      await rename(`${file}.partial`, file);
      return { file, bytes: bytes.length };
    } finally {
      await db.close();
    }
  } finally {
    await lock.release();
  }
}

export interface RestoreResult {
  /** Where the folder that was replaced now is (null if there was none). */
  previous: string | null;
  /** Rows in the ledger's event table of the restored database, as a sanity check. */
  consentEvents: number;
}

/**
 * Replaces `dataDir` with the database in `file`. The folder it replaces is
 * kept beside it (`<dataDir>.before-restore-<stamp>`), never deleted.
 */
export async function restoreEmbeddedDatabase(
  dataDir: string,
  file: string,
  stamp: string,
): Promise<RestoreResult> {
  const archive = await readFile(file);
  const lock = await lockDataDir(dataDir, { purpose: "npm run db:restore" });
  try {
    let previous: string | null = null;
    if (existsSync(dataDir)) {
      previous = `${dataDir}.before-restore-${stamp}`;
      await rename(dataDir, previous);
    }
    try {
      const db = await PGlite.create({ dataDir, loadDataDir: new Blob([archive]) });
      try {
        const { rows } = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM consent_events");
        return { previous, consentEvents: rows[0]?.n ?? 0 };
      } finally {
        await db.close();
      }
    } catch (error) {
      // Not a usable backup: put the previous folder back as it was.
      await rm(dataDir, { recursive: true, force: true });
      if (previous) await rename(previous, dataDir);
      throw new Error(
        `${file} could not be restored (${error instanceof Error ? error.message : String(error)}); ${dataDir} is unchanged.`,
        { cause: error },
      );
    }
  } finally {
    await lock.release();
  }
}
