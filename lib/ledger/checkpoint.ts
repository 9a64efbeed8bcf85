// Ledger checkpoints (docs/ledger.md): a Merkle root over the events written
// by transactions with txid in [txidFrom, txidTo). txidTo is the xmin of the
// current snapshot, so every transaction below it has finished: a checkpoint
// never covers an event that could still commit after it was taken.
import type pg from "pg";
import { merkleRoot } from "@/lib/ledger/merkle";
import { now } from "@/lib/clock";

export interface Checkpoint {
  id: number;
  txidFrom: string;
  txidTo: string;
  eventCount: number;
  merkleRoot: string;
}

const UNIQUE_VIOLATION = "23505";

/**
 * Records the next checkpoint, from where the last one ended to the oldest
 * transaction still running. Returns null when no settled event is new
 * (nothing is written) or when a concurrent run recorded the same range first.
 */
export async function createCheckpoint(db: pg.Pool, at: Date = now()): Promise<Checkpoint | null> {
  const client = await db.connect();
  try {
    await client.query("BEGIN");
    const { rows: bounds } = await client.query<{ txid_from: string; txid_to: string }>(
      `SELECT COALESCE((SELECT txid_to FROM ledger_checkpoints ORDER BY txid_from DESC LIMIT 1), 0)::text AS txid_from,
         pg_snapshot_xmin(pg_current_snapshot())::text AS txid_to`,
    );
    const { txid_from: txidFrom, txid_to: txidTo } = bounds[0] ?? { txid_from: "0", txid_to: "0" };
    if (BigInt(txidTo) <= BigInt(txidFrom)) {
      await client.query("ROLLBACK");
      return null;
    }
    const { rows: events } = await client.query<{ hash: string; position: string }>(
      "SELECT hash, position::text FROM consent_events WHERE txid >= $1 AND txid < $2 ORDER BY consent_events.position",
      [txidFrom, txidTo],
    );
    if (events.length === 0) {
      await client.query("ROLLBACK");
      return null;
    }
    const root = merkleRoot(events.map((event) => event.hash));
    const { rows } = await client.query<{ id: number }>(
      `INSERT INTO ledger_checkpoints (txid_from, txid_to, event_count, first_position, last_position, merkle_root,
         created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
      [txidFrom, txidTo, events.length, events[0]?.position, events.at(-1)?.position, root, at],
    );
    await client.query("COMMIT");
    return { id: rows[0]?.id ?? 0, txidFrom, txidTo, eventCount: events.length, merkleRoot: root };
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    if ((error as { code?: string }).code === UNIQUE_VIOLATION) return null;
    throw error;
  } finally {
    client.release();
  }
}

/**
 * For the worker loop: checkpoints when the last one is older than
 * `intervalMs` (or there is none). Cheap when nothing is due.
 */
export async function checkpointIfDue(
  db: pg.Pool,
  at: Date = now(),
  intervalMs = 5 * 60_000,
): Promise<Checkpoint | null> {
  const { rows } = await db.query<{ created_at: Date }>(
    "SELECT created_at FROM ledger_checkpoints ORDER BY txid_from DESC LIMIT 1",
  );
  const last = rows[0]?.created_at;
  if (last && at.getTime() - last.getTime() < intervalMs) return null;
  return createCheckpoint(db, at);
}
