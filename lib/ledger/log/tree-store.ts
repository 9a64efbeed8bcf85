// Roots and proofs from the stored subtree hashes (ledger_tree_nodes): any of
// them needs O(log n) nodes, fetched in one indexed query, never the leaves.
import type pg from "pg";
import {
  consistencyRanges,
  foldRight,
  inclusionRanges,
  rangeNodes,
  type Hash,
  type NodeId,
  type Range,
} from "@/lib/ledger/merkle";

type Queryable = Pick<pg.Pool | pg.PoolClient, "query">;

interface NodeRow {
  level: number;
  idx: string;
  hash: Buffer;
}

const key = (node: NodeId) => `${node.level}/${node.index}`;

/** The hashes of the given complete subtrees; throws if the tree lacks one. */
async function fetchNodes(db: Queryable, nodes: readonly NodeId[]): Promise<Map<string, Hash>> {
  const found = new Map<string, Hash>();
  if (nodes.length === 0) return found;
  // Raw SQL: a set of (level, idx) pairs in one index lookup; Prisma has no row-value IN.
  const { rows } = await db.query<NodeRow>(
    `SELECT n.level, n.idx::text AS idx, n.hash FROM ledger_tree_nodes n
      JOIN unnest($1::smallint[], $2::bigint[]) AS w(level, idx) ON n.level = w.level AND n.idx = w.idx`,
    [nodes.map((n) => n.level), nodes.map((n) => String(n.index))],
  );
  for (const row of rows) found.set(`${row.level}/${row.idx}`, row.hash);
  for (const node of nodes)
    if (!found.has(key(node))) throw new Error(`the log has no subtree (${node.level}, ${node.index})`);
  return found;
}

/** MTH of each range, from one query. */
export async function rangeHashes(db: Queryable, ranges: readonly Range[]): Promise<Hash[]> {
  const perRange = ranges.map((range) => rangeNodes(range.a, range.b));
  const nodes = await fetchNodes(db, perRange.flat());
  return perRange.map((ids) => foldRight(ids.map((id) => nodes.get(key(id)) as Hash)));
}

export async function treeRoot(db: Queryable, size: number): Promise<Hash> {
  const [root] = await rangeHashes(db, [{ a: 0, b: size }]);
  return root as Hash;
}

export async function inclusionProof(db: Queryable, index: number, size: number): Promise<Hash[]> {
  return rangeHashes(db, inclusionRanges(index, size));
}

export async function consistencyProof(db: Queryable, from: number, to: number): Promise<Hash[]> {
  return rangeHashes(db, consistencyRanges(from, to));
}
