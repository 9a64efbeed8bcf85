import "server-only";
import { randomUUID } from "node:crypto";
import type pg from "pg";

/**
 * Leased claims for an outbox table (mail today, webhook deliveries next):
 * a worker claims a small batch, holds it under a short lease that it renews
 * while it works, and settles each row only while it still holds that lease.
 *
 * - A crashed worker stops renewing: its rows are claimed again once the
 *   lease runs out (seconds), not after a long fixed timeout, and only the
 *   rows of its one small batch wait.
 * - A worker that stalled past its lease and wakes up cannot overwrite the
 *   outcome of the worker that took its rows over (the settle checks the
 *   lease token).
 * - Delivery is at least once: a crash between the receiver's acceptance and
 *   the settle sends that row again, so every delivery carries an id derived
 *   from the row (Message-ID, a webhook id) that lets receivers drop repeats.
 *
 * The table needs these columns: `id`, `status` (a Postgres enum with
 * `PENDING` and `SENDING`), `attempts int`, `next_attempt_at timestamptz`,
 * `locked_at timestamptz`, `lease_token uuid`.
 */
export interface LeasedTable {
  /** The table's SQL name: a constant from code, never input. */
  table: string;
}

export interface ClaimOptions {
  /** Rows claimed at most: keep it small, it bounds what a crash delays. */
  limit: number;
  at: Date;
  leaseMs: number;
  /**
   * The SELECT that reads the claimed rows, as SQL over the CTE `claimed`
   * (every column of the table), e.g. `SELECT c.id::text AS id, c.email FROM claimed c`.
   */
  select?: string;
}

export interface Claim<Row> {
  /** The lease's token: pass it to renew and settle. */
  token: string;
  rows: Row[];
}

type Queryable = Pick<pg.Pool, "query">;

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

export function leasedTable(table: string): LeasedTable {
  if (!IDENTIFIER.test(table)) throw new Error(`not a table name: ${table}`);
  return { table };
}

/**
 * Claims due rows: PENDING ones whose next attempt is due, and SENDING ones
 * whose lease ran out. SKIP LOCKED lets any number of workers claim at once,
 * each row going to exactly one of them.
 */
export async function claimLeased<Row extends pg.QueryResultRow>(
  db: Queryable,
  { table }: LeasedTable,
  { limit, at, leaseMs, select = "SELECT c.id::text AS id FROM claimed c" }: ClaimOptions,
): Promise<Claim<Row>> {
  const token = randomUUID();
  const { rows } = await db.query<Row>(
    `WITH due AS (
       SELECT id FROM ${table}
       WHERE (status = 'PENDING' AND next_attempt_at <= $1)
          OR (status = 'SENDING' AND locked_at < $1::timestamptz - make_interval(secs => $3::double precision / 1000))
       ORDER BY next_attempt_at, id
       LIMIT $2
       FOR UPDATE SKIP LOCKED
     ), claimed AS (
       UPDATE ${table} t SET status = 'SENDING', locked_at = $1, lease_token = $4::uuid, attempts = t.attempts + 1
       FROM due WHERE t.id = due.id
       RETURNING t.*
     )
     ${select}`,
    [at, limit, leaseMs, token],
  );
  return { token, rows };
}

/** Renews a lease: its rows still SENDING are locked as of `at`. Returns how many. */
export async function renewLease(db: Queryable, { table }: LeasedTable, token: string, at: Date) {
  const { rowCount } = await db.query(
    `UPDATE ${table} SET locked_at = $2 WHERE lease_token = $1::uuid AND status = 'SENDING'`,
    [token, at],
  );
  return rowCount ?? 0;
}

/**
 * Renews the lease every third of its length until stopped, so rows being
 * worked on never look abandoned. A failed renewal is reported, not thrown:
 * the next one tries again, and the settle still checks the token.
 */
export function holdLease(
  db: Queryable,
  table: LeasedTable,
  token: string,
  { leaseMs, clock, onError }: { leaseMs: number; clock: () => Date; onError?: (error: unknown) => void },
): { stop(): void } {
  const timer = setInterval(
    () => void renewLease(db, table, token, clock()).catch((error: unknown) => onError?.(error)),
    Math.max(1, Math.floor(leaseMs / 3)),
  );
  timer.unref();
  return { stop: () => clearInterval(timer) };
}

/**
 * Settles one claimed row, only if this lease still holds it: `set` is the
 * SQL assignment list (e.g. `status = 'SENT', sent_at = $3`), with its values
 * from $3 on. Releases the lease. Returns false when the row was taken over.
 */
export async function settleLeased(
  db: Queryable,
  { table }: LeasedTable,
  { id, token, set, values = [] }: { id: string; token: string; set: string; values?: unknown[] },
): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE ${table} SET ${set}, locked_at = NULL, lease_token = NULL
     WHERE id = $1 AND lease_token = $2::uuid AND status = 'SENDING'`,
    [id, token, ...values],
  );
  return (rowCount ?? 0) > 0;
}
