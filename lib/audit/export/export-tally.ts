import "server-only";
import type pg from "pg";
import type { SqlWhere } from "@/lib/audit/event-sql";
import type { ManifestCheckpoint, ManifestLog } from "@/lib/ledger/export/export-format";
import { consistencyProof } from "@/lib/ledger/log/tree-store";

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

/**
 * Format 2: the latest signed checkpoint in the export's snapshot, how many
 * of the exported rows have a leaf under it, and consistency proofs to it
 * from the tree sizes earlier exports were consistent with (so a holder of an
 * earlier export can check this one extends it: `npm run verify -- --since`).
 * Null when the log has signed nothing yet.
 */
export async function tallyLog(
  client: pg.PoolClient,
  where: SqlWhere,
  verifierKey: string,
): Promise<ManifestLog | null> {
  // Qualified: a bare ORDER BY tree_size would sort the ::text output column.
  const latest = await client.query<{ tree_size: string; root_hash: string; note: string }>(
    `SELECT c.tree_size::text, c.root_hash, c.note FROM ledger_tree_checkpoints c ORDER BY c.tree_size DESC LIMIT 1`,
  );
  const checkpoint = latest.rows[0];
  if (!checkpoint) return null;
  const treeSize = Number(checkpoint.tree_size);
  const counted = await client.query<{ n: string }>(
    `SELECT count(*)::text AS n FROM consent_events e JOIN ledger_leaves l ON l.event_id = e.id
      ${where.text ? `${where.text} AND` : "WHERE"} l.leaf_index < $${where.values.length + 1}`,
    [...where.values, treeSize],
  );
  // Raw SQL: earlier manifests live in the append-only audit log as JSON.
  const earlier = await client.query<{ size: string }>(
    `SELECT DISTINCT (details->'log'->>'treeSize') AS size FROM (
       SELECT details FROM audit_log WHERE action = 'audit.export.completed' AND details ? 'log'
        ORDER BY id DESC LIMIT 50) x
      WHERE (details->'log'->>'treeSize')::bigint < $1`,
    [treeSize],
  );
  const consistency = [];
  for (const { size } of earlier.rows) {
    const fromSize = Number(size);
    const proof = await consistencyProof(client, fromSize, treeSize);
    consistency.push({ fromSize, proof: proof.map((hash) => hash.toString("base64")) });
  }
  consistency.sort((a, b) => a.fromSize - b.fromSize);
  return {
    verifierKey,
    checkpoint: checkpoint.note,
    treeSize,
    rootHash: checkpoint.root_hash,
    inCheckpoint: Number(counted.rows[0]?.n ?? 0),
    consistency,
  };
}
