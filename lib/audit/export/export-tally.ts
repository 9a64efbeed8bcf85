import "server-only";
import type pg from "pg";
import type { SqlWhere } from "@/lib/audit/event-sql";
import type { ManifestCheckpoint } from "@/lib/ledger/export/export-format";

/**
 * The checkpoints covering an export's rows, each with how many of its events
 * the export holds. Run in the export's own REPEATABLE READ transaction, after
 * the rows, so it counts exactly the rows that were sent. Checkpoints are
 * contiguous and disjoint (docs/ledger.md): each transaction id falls in at
 * most one, the latest starting at or before it.
 */
export async function tallyCheckpoints(
  client: pg.PoolClient,
  where: SqlWhere,
): Promise<{ checkpoints: ManifestCheckpoint[]; covered: number }> {
  const { rows } = await client.query(
    `WITH t AS (SELECT e.txid, count(*) AS n FROM consent_events e ${where.text} GROUP BY e.txid)
     SELECT c.id, c.txid_from::text AS txid_from, c.txid_to::text AS txid_to, c.event_count, c.first_position::text AS first_position,
            c.last_position::text AS last_position, c.merkle_root, c.created_at, sum(t.n)::int AS exported
       FROM t CROSS JOIN LATERAL (
              SELECT * FROM ledger_checkpoints lc WHERE lc.txid_from <= t.txid ORDER BY lc.txid_from DESC LIMIT 1
            ) c
      WHERE t.txid < c.txid_to
      GROUP BY c.id, c.txid_from, c.txid_to, c.event_count, c.first_position, c.last_position, c.merkle_root, c.created_at
      ORDER BY c.txid_from`,
    where.values,
  );
  const checkpoints: ManifestCheckpoint[] = rows.map((c) => ({
    id: c.id,
    txidFrom: c.txid_from,
    txidTo: c.txid_to,
    eventCount: c.event_count,
    firstPosition: c.first_position,
    lastPosition: c.last_position,
    merkleRoot: c.merkle_root,
    createdAt: c.created_at.toISOString(),
    exportedCount: c.exported,
  }));
  return { checkpoints, covered: checkpoints.reduce((sum, c) => sum + c.exportedCount, 0) };
}
