/**
 * An embedded PostgreSQL for running Accord without installing one: PGlite
 * (PostgreSQL compiled to WebAssembly, in this process) served over the wire
 * protocol on 127.0.0.1, so `pg`, Prisma and the migrations talk to it exactly
 * as to a real server.
 *
 * It is a single-writer database: PGlite runs one query at a time and holds
 * other connections' queries while a transaction is open. Right for local use
 * and demos; use a real PostgreSQL (DATABASE_URL) for anything under load.
 *
 * Only one process may open a data folder (it is locked first: ./data-dir-lock.ts);
 * others connect to the port.
 */
import { mkdir } from "node:fs/promises";
import net from "node:net";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";
import { lockDataDir } from "./data-dir-lock";

export const DEFAULT_EMBEDDED_PORT = 54329;
const HOST = "127.0.0.1";

export interface EmbeddedPostgresOptions {
  /** Folder holding the database files; created if missing, reused (with its data) if not. */
  dataDir: string;
  /** TCP port on 127.0.0.1 (default 54329). */
  port?: number;
  /**
   * Connections the server accepts at once (default 32). PGLiteSocketServer's
   * own default is 1, and it answers the connection over the limit with a
   * non-protocol "Too many connections", which a pool sees as ECONNRESET: this
   * must cover every pool's maximum plus the CLIs that connect alongside.
   */
  maxConnections?: number;
  /** Who opens the folder, for the error a second opener gets (default: the command line). */
  purpose?: string;
}

export interface EmbeddedPostgres {
  /** postgres://postgres@127.0.0.1:<port>/postgres (PGlite has one database and trusts everyone). */
  url: string;
  /** Closes client connections, the listener and the database, flushing it to disk. Safe to call twice. */
  stop(): Promise<void>;
  /**
   * Runs SQL in the database's one session directly. Every client connection
   * shares that session, so `SET ROLE` here changes the role all of them use.
   */
  exec(sql: string): Promise<void>;
}

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const port = options.port ?? DEFAULT_EMBEDDED_PORT;
  const maxConnections = options.maxConnections ?? 32;
  if (!Number.isInteger(maxConnections) || maxConnections < 1) {
    throw new Error(`maxConnections must be a positive integer, got ${maxConnections}`);
  }

  // The folder is locked before anything opens it; a second opener gets an
  // error naming the holder (DataDirLockedError).
  const lock = await lockDataDir(options.dataDir, {
    purpose: options.purpose ?? `${describeCommand()}, serving on ${HOST}:${port}`,
  });
  let db: PGlite | undefined;
  let server: PGLiteSocketServer;
  try {
    // Checked before opening PGlite, which takes seconds (and initialises an
    // empty folder); the listen below still handles losing a race for the port.
    await assertPortFree(port);
    await mkdir(options.dataDir, { recursive: true });
    db = await PGlite.create({ dataDir: options.dataDir });
    // Bound to loopback only: PGlite accepts any user without a password.
    server = new PGLiteSocketServer({ db, host: HOST, port, maxConnections });
    try {
      await server.start();
    } catch (error) {
      throw startError(port, error);
    }
  } catch (error) {
    await db?.close();
    await lock.release();
    throw error;
  }
  const opened = db;

  let stopped: Promise<void> | undefined;
  return {
    url: `postgres://postgres@${HOST}:${port}/postgres`,
    exec: async (sql: string) => {
      await opened.exec(sql);
    },
    stop: () =>
      (stopped ??= (async () => {
        await server.stop();
        // stop() detaches clients without awaiting them, and a detach may
        // still roll back that client's open transaction: let those calls
        // queue on the database before close() takes it.
        await new Promise((resolve) => setImmediate(resolve));
        await opened.close();
        await lock.release();
      })()),
  };
}

function describeCommand(): string {
  const script = process.argv.slice(1).find((arg) => /\.(ts|mjs|js)$/.test(arg));
  return script ? path.relative(process.cwd(), script) || script : "node";
}

function assertPortFree(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", (error) => reject(startError(port, error)));
    probe.listen(port, HOST, () => probe.close(() => resolve()));
  });
}

function startError(port: number, error: unknown): Error {
  const inUse = (error as NodeJS.ErrnoException).code === "EADDRINUSE";
  return new Error(
    inUse
      ? `cannot serve the embedded database on ${HOST}:${port}: the port is in use`
      : `cannot start the embedded database: ${error instanceof Error ? error.message : String(error)}`,
    { cause: error },
  );
}
