/**
 * Database outages, seen from the app (finding 14 of issue 9): what counts as
 * "the database is unavailable" (as opposed to a bug), how routes answer it
 * (503 JSON with Retry-After, lib/http/route.ts), and how it is logged: one
 * line when an outage starts, one when it ends, a reminder each minute in
 * between, instead of a stack trace per failed request.
 *
 * No server-only marker: the worker, the sequencer and the custom server use
 * it outside the Next bundle too. The burst state lives on globalThis, so the
 * bundle's copy of this module and theirs share one log in `npm start`.
 */
import { now } from "@/lib/clock";

/** Seconds a client should wait before trying again (the Retry-After of a 503). */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

/** Node socket errors that mean the server could not be reached or went away. */
const SOCKET_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EPIPE",
]);
/**
 * Prisma's codes for an unreachable database, a closed connection, a pool
 * timeout, and a transaction that outlived its time limit (P2028: the server
 * or the database was too busy to finish it; nothing was committed).
 */
const PRISMA_CODES = new Set(["P1001", "P1002", "P1008", "P1017", "P2024", "P2028"]);
/** Prisma driver adapter error kinds of the same. */
const ADAPTER_KINDS = new Set([
  "DatabaseNotReachable",
  "ConnectionClosed",
  "SocketTimeout",
  "TooManyConnections",
]);
/** PostgreSQL SQLSTATEs: connection exceptions (class 08), shutdowns and "starting up", too many connections. */
const SQLSTATE = /^(08[0-9A-Z]{3}|57P0[123]|53300)$/;
/** node-postgres reports a dropped or timed-out connection by message only. */
const PG_MESSAGES =
  /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Connection ended unexpectedly)/;

/** True when `error` (or anything it wraps) says the database cannot be reached right now. */
export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== "object" || depth > 8) return false;
  const e = error as {
    code?: unknown;
    message?: unknown;
    cause?: unknown;
    errors?: unknown;
    meta?: { driverAdapterError?: { cause?: { kind?: unknown } } };
    kind?: unknown;
  };
  if (typeof e.code === "string") {
    if (SOCKET_CODES.has(e.code) || PRISMA_CODES.has(e.code) || SQLSTATE.test(e.code)) return true;
  }
  if (typeof e.kind === "string" && ADAPTER_KINDS.has(e.kind)) return true;
  const adapterKind = e.meta?.driverAdapterError?.cause?.kind;
  if (typeof adapterKind === "string" && ADAPTER_KINDS.has(adapterKind)) return true;
  if (typeof e.message === "string" && PG_MESSAGES.test(e.message)) return true;
  if (Array.isArray(e.errors) && e.errors.some((inner) => isDatabaseUnavailable(inner, depth + 1)))
    return true;
  return isDatabaseUnavailable(e.cause, depth + 1);
}

/** A short, address-free name for what went wrong, for the log line. */
function reasonOf(error: unknown): string {
  const e = error as { code?: unknown; meta?: { driverAdapterError?: { cause?: { kind?: unknown } } } };
  const kind = e?.meta?.driverAdapterError?.cause?.kind;
  if (typeof kind === "string") return kind;
  if (typeof e?.code === "string") return e.code;
  return error instanceof Error ? error.name : "error";
}

interface OutageState {
  since: number | null;
  failures: number;
  lastReminder: number;
}

const REMINDER_MS = 60_000;
const STATE_KEY = Symbol.for("accord.databaseOutage");

function state(): OutageState {
  const holder = globalThis as { [STATE_KEY]?: OutageState };
  return (holder[STATE_KEY] ??= { since: null, failures: 0, lastReminder: 0 });
}

export interface OutageLog {
  error(line: string): void;
  info(line: string): void;
}

/**
 * Notes one failure caused by an outage. Logs a line only when the outage
 * starts and then once a minute while it lasts. `source` says who noticed
 * ("route", "worker", "sequencer", ...).
 */
export function reportDatabaseOutage(
  source: string,
  error: unknown,
  { log = console as OutageLog, at = now().getTime() } = {},
): void {
  const s = state();
  s.failures += 1;
  if (s.since === null) {
    s.since = at;
    s.lastReminder = at;
    log.error(
      `[db] the database is unavailable (${reasonOf(error)}, noticed by the ${source}): requests get 503 until it is back; further failures are counted, not logged`,
    );
    return;
  }
  if (at - s.lastReminder >= REMINDER_MS) {
    s.lastReminder = at;
    log.error(
      `[db] the database is still unavailable after ${Math.round((at - s.since) / 1000)} s (${s.failures} failures so far)`,
    );
  }
}

/** Notes that the database answered again: ends the burst with one line. */
export function reportDatabaseBack({ log = console as OutageLog, at = now().getTime() } = {}): void {
  const s = state();
  if (s.since === null) return;
  log.info(
    `[db] the database is back after ${Math.round((at - s.since) / 1000)} s (${s.failures} failures during the outage)`,
  );
  s.since = null;
  s.failures = 0;
}

export function databaseOutageInProgress(): boolean {
  return state().since !== null;
}

/** The JSON body of a 503 for an outage: no address, no driver message. */
export const DATABASE_UNAVAILABLE_BODY = {
  error: {
    code: "database_unavailable",
    message: "The service is temporarily unavailable. Try again in a few seconds.",
  },
} as const;

/**
 * Next.js logs every error a page or action throws, with its stack. While the
 * database is down that is a stack per request (a 21 s outage wrote 14,844
 * lines): the custom server sends such logs through the outage reporter
 * instead, and leaves every other error as it was.
 */
export function routeOutageLogsThroughReporter(): void {
  const holder = globalThis as { [FILTER_KEY]?: boolean };
  if (holder[FILTER_KEY]) return;
  holder[FILTER_KEY] = true;
  const original = console.error.bind(console);
  console.error = (...args: unknown[]) => {
    const outage = args.find((arg) => isDatabaseUnavailable(arg));
    if (outage) reportDatabaseOutage("web app", outage, { log: { error: original, info: console.info } });
    else original(...args);
  };
}
const FILTER_KEY = Symbol.for("accord.outageLogFilter");
