// What every CLI needs before it can touch the database: DATABASE_URL (or the
// embedded Postgres under .data/ when it is unset) and a persistent
// NEXTAUTH_SECRET for local use.
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import net from "node:net";
import { startEmbeddedPostgres } from "../../lib/db/embedded-postgres";
import { generateSignerKey } from "../../lib/ledger/note";

export const DATA_DIR = ".data";
export const EMBEDDED_PORT = Number(process.env.EMBEDDED_PG_PORT ?? 54329);

/** The role the app runs as on the embedded database (docs/deployment.md). */
export const EMBEDDED_RUNTIME_ROLE = "accord_app";

export interface RuntimeDatabase {
  url: string;
  embedded: boolean;
  /**
   * Embedded database served by this process: switch its one session (every
   * connection) to `role`. Not a security boundary there: any connection may
   * switch back, since the session began as the superuser.
   */
  useRole?(role: string): Promise<void>;
  /** Stops the embedded server if this process started it. */
  stop(): Promise<void>;
  description: string;
}

function portInUse(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: "127.0.0.1", port }, () => {
      socket.end();
      resolve(true);
    });
    socket.on("error", () => resolve(false));
  });
}

export async function ensureDatabase(
  options: { startIfMissing: boolean } = { startIfMissing: true },
): Promise<RuntimeDatabase> {
  const configured = process.env.DATABASE_URL;
  if (configured) {
    const host = new URL(configured).host;
    return {
      url: configured,
      embedded: false,
      stop: async () => {},
      description: `PostgreSQL at ${host} (DATABASE_URL)`,
    };
  }
  const url = `postgres://postgres@127.0.0.1:${EMBEDDED_PORT}/postgres`;
  // One process owns the PGlite data folder; others (user:create while the app
  // runs) connect to the server it already serves.
  process.env.DATABASE_EMBEDDED = "1";
  if (await portInUse(EMBEDDED_PORT)) {
    process.env.DATABASE_URL = url;
    return {
      url,
      embedded: true,
      stop: async () => {},
      description: `embedded PostgreSQL (PGlite) already serving on 127.0.0.1:${EMBEDDED_PORT}`,
    };
  }
  if (!options.startIfMissing)
    throw new Error("DATABASE_URL is not set and the embedded database is not running.");
  mkdirSync(DATA_DIR, { recursive: true });
  const server = await startEmbeddedPostgres({
    dataDir: `${DATA_DIR}/pglite`,
    port: EMBEDDED_PORT,
    maxConnections: 32,
  });
  process.env.DATABASE_URL = server.url;
  return {
    url: server.url,
    embedded: true,
    stop: () => server.stop(),
    useRole: (role) => server.exec(`SET ROLE "${role.replaceAll('"', '""')}"`),
    description: `embedded PostgreSQL (PGlite), data in ${DATA_DIR}/pglite, served on 127.0.0.1:${EMBEDDED_PORT}`,
  };
}

export function ensureSecret(): void {
  if (process.env.NEXTAUTH_SECRET) return;
  const file = `${DATA_DIR}/nextauth-secret`;
  mkdirSync(DATA_DIR, { recursive: true });
  if (!existsSync(file)) writeFileSync(file, randomBytes(32).toString("hex"), { mode: 0o600 });
  process.env.NEXTAUTH_SECRET = readFileSync(file, "utf8").trim();
}

/**
 * The log's signing key (docs/ledger.md §13): LEDGER_SIGNING_KEY or
 * LEDGER_SIGNING_KEY_FILE; for local use, a key generated once into
 * .data/ledger-signing-key, named after APP_URL's host.
 */
export function ensureSigningKey(): void {
  if (process.env.LEDGER_SIGNING_KEY || process.env.LEDGER_SIGNING_KEY_FILE) return;
  const file = `${DATA_DIR}/ledger-signing-key`;
  mkdirSync(DATA_DIR, { recursive: true });
  if (!existsSync(file)) {
    const host = new URL(process.env.APP_URL ?? "http://localhost:3000").host;
    writeFileSync(file, `${generateSignerKey(`${host}/accord/consent-log`)}\n`, { mode: 0o600 });
    console.log(`Created the log's signing key in ${file} (keep it safe and outside the database).`);
  }
  process.env.LEDGER_SIGNING_KEY_FILE = file;
}
