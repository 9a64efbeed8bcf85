/**
 * One process at a time on an embedded database folder. Two PGlite instances
 * on one folder each keep their own copy in memory and write over each other:
 * the ledger's indexes and tables then disagree without any error (finding 13
 * of issue 9). So the folder is locked before PGlite opens it.
 *
 * The lock is proper-lockfile's (an atomic `mkdir` of `<folder>.lock`, kept
 * fresh while held, stale when its holder stopped refreshing it). Beside it,
 * `<folder>.owner.json` says who holds it, so a second opener is told which
 * process to stop. A holder that died (kill -9, power loss) is detected by its
 * pid on this host, so a restart need not wait for the lock to go stale.
 */
import { readFileSync, rmdirSync, writeFileSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import lockfile from "proper-lockfile";
import { now } from "../clock";

/** Who holds a data folder, as written in `<folder>.owner.json`. */
export interface DataDirOwner {
  pid: number;
  hostname: string;
  /** What the holder does with it, e.g. "npm start, serving on 127.0.0.1:54329". */
  purpose: string;
  since: string;
}

export class DataDirLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly owner: DataDirOwner | null,
  ) {
    super(
      owner
        ? `The embedded database folder ${dataDir} is in use by process ${owner.pid} on ${owner.hostname} (${owner.purpose}, since ${owner.since}). ` +
            "Only one process may open it: stop that one first, or connect to the database it serves."
        : `The embedded database folder ${dataDir} is locked by another process (${dataDir}.lock). ` +
            "Only one process may open it: stop that one first, or connect to the database it serves.",
    );
    this.name = "DataDirLockedError";
  }
}

/** How long a holder may go without refreshing the lock before it counts as dead. */
const STALE_MS = 60_000;
const UPDATE_MS = 10_000;

export interface DataDirLock {
  release(): Promise<void>;
}

const ownerFile = (dataDir: string) => `${dataDir}.owner.json`;
const lockDir = (dataDir: string) => `${dataDir}.lock`;

export function readDataDirOwner(dataDir: string): DataDirOwner | null {
  try {
    return JSON.parse(readFileSync(ownerFile(dataDir), "utf8")) as DataDirOwner;
  } catch {
    return null;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * The lock left by a holder that is gone: its pid no longer runs on this
 * host. (Two openers racing right after such a crash could both clear it; the
 * loser finds out at its next refresh, within 10 s, and stops: onCompromised.)
 */
function heldByTheDead(dataDir: string): boolean {
  const owner = readDataDirOwner(dataDir);
  return Boolean(
    owner && owner.hostname === os.hostname() && owner.pid !== process.pid && !isAlive(owner.pid),
  );
}

/**
 * Locks `dataDir` for this process, or throws DataDirLockedError naming the
 * holder. If the lock is later taken from under us (this process stalled past
 * the stale time and another took over), `onCompromised` runs: by default
 * the process exits, since two writers would corrupt the database.
 */
export async function lockDataDir(
  dataDir: string,
  {
    purpose,
    onCompromised = (error: Error) => {
      console.error(`[db] lost the lock on ${dataDir}: ${error.message}. Stopping.`);
      process.exit(70);
    },
  }: { purpose: string; onCompromised?: (error: Error) => void },
): Promise<DataDirLock> {
  const folder = path.resolve(dataDir);
  await mkdir(path.dirname(folder), { recursive: true });
  const options = {
    realpath: false,
    lockfilePath: lockDir(folder),
    stale: STALE_MS,
    update: UPDATE_MS,
    onCompromised,
  };
  let release: () => Promise<void>;
  try {
    release = await lockfile.lock(folder, options);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ELOCKED") throw error;
    if (!heldByTheDead(folder)) throw new DataDirLockedError(dataDir, readDataDirOwner(folder));
    try {
      rmdirSync(lockDir(folder));
    } catch {
      // someone else cleared it first
    }
    try {
      release = await lockfile.lock(folder, options);
    } catch (again) {
      if ((again as NodeJS.ErrnoException).code !== "ELOCKED") throw again;
      throw new DataDirLockedError(dataDir, readDataDirOwner(folder));
    }
  }
  const owner: DataDirOwner = {
    pid: process.pid,
    hostname: os.hostname(),
    purpose,
    since: now().toISOString(),
  };
  writeFileSync(ownerFile(folder), `${JSON.stringify(owner, null, 2)}\n`);
  let released: Promise<void> | undefined;
  return {
    release: () => (released ??= release()),
  };
}
