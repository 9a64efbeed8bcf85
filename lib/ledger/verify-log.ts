// The log half of ledger:verify (docs/ledger.md §10, §12): the tree rebuilt
// from the leaves in leaf order (flat memory) must give every signed
// checkpoint's root; every checkpoint must verify with a trusted log key;
// every leaf must hold its event's hash; every event must have a leaf once
// the maximum merge delay has passed, and only signed events may have leaves
// beyond the first checkpoint (which covers the events of format 1).
import type pg from "pg";
import type { LedgerProblem } from "@/lib/ledger/check/problems";
import QueryStream from "pg-query-stream";
import { leafHash, TreeBuilder } from "@/lib/ledger/merkle";
import { parseNote, verifiedSignatures, type NoteVerifier } from "@/lib/ledger/note";
import { parseCheckpointText } from "@/lib/ledger/tlog-checkpoint";
import { EVENT_CHECK_COLUMNS, refusalReason } from "@/lib/ledger/log/sequencer";
import { treeRoot } from "@/lib/ledger/log/tree-store";

/** Events get their leaf within this time of being recorded, or the log has failed its promise. */
export const MAX_MERGE_DELAY_SECONDS = 3600;

export type LogProblem = LedgerProblem;

export interface LogReport {
  leaves: number;
  signedCheckpoints: number;
  /** Leaves whose events were pruned. */
  pruned: number;
  problems: LogProblem[];
}

export interface LogCheckOptions {
  verifiers: readonly NoteVerifier[];
  now: Date;
  maxMergeDelaySeconds: number;
}

interface CheckpointRow {
  tree_size: string;
  root_hash: string;
  note: string;
}

export async function verifyLog(client: pg.PoolClient, options: LogCheckOptions): Promise<LogReport> {
  const problems: LogProblem[] = [];
  const { rows: checkpoints } = await client.query<CheckpointRow>(
    "SELECT c.tree_size::text, c.root_hash, c.note FROM ledger_tree_checkpoints c ORDER BY c.tree_size",
  );
  const roots = new Map<number, string>();
  for (const row of checkpoints) {
    const name = `signed checkpoint at size ${row.tree_size}`;
    try {
      const note = parseNote(row.note);
      if (verifiedSignatures(note, options.verifiers).length === 0)
        throw new Error("no trusted log key signed it");
      const body = parseCheckpointText(note.text);
      if (String(body.size) !== row.tree_size || body.root.toString("hex") !== row.root_hash)
        throw new Error("its row disagrees with its signed text");
      roots.set(body.size, row.root_hash);
    } catch (error) {
      problems.push({
        kind: "log",
        message: `${name}: ${error instanceof Error ? error.message : String(error)}`,
      });
    }
  }
  const firstSize = checkpoints[0] ? Number(checkpoints[0].tree_size) : 0;

  // The tree from the leaves, compared with every checkpoint on the way.
  const builder = new TreeBuilder();
  // Pruned events (docs/ledger.md §12): the leaf must still hold their stored hash; their signature no longer verifies.
  let pruned = 0;
  const compare = () => {
    const expected = roots.get(builder.size);
    const actual = builder.root().toString("hex");
    if (expected !== undefined && expected !== actual)
      problems.push({
        kind: "log",
        message: `signed checkpoint at size ${builder.size}: root ${expected}, but the leaves give ${actual}: the log was rewritten`,
      });
  };
  compare();
  const leaves = client.query(
    new QueryStream(
      `SELECT l.leaf_index::text AS leaf_index, l.event_hash, ${EVENT_CHECK_COLUMNS}
         FROM ledger_leaves l LEFT JOIN consent_events e ON e.id = l.event_id ORDER BY l.leaf_index`,
      [],
      { batchSize: 1000 },
    ),
  );
  for await (const row of leaves as AsyncIterable<Record<string, unknown>>) {
    const index = Number(row.leaf_index);
    if (index !== builder.size)
      problems.push({ kind: "log", message: `leaf ${builder.size} is missing (the next leaf is ${index})` });
    const eventHash = String(row.event_hash);
    builder.addLeafHash(leafHash(Buffer.from(eventHash, "hex")));
    compare();
    const id = row.id as string | null;
    if (!id) {
      problems.push({ kind: "leaf", message: `leaf ${index}: its event is gone (hash ${eventHash})` });
      continue;
    }
    const ref = { eventId: id, subjectId: row.subject_id as string, seq: row.seq as number };
    if (row.hash !== eventHash)
      problems.push({
        kind: "leaf",
        ...ref,
        message: `leaf ${index}: holds hash ${eventHash}, but event ${id} now has ${String(row.hash)}: the event was rewritten`,
      });
    else if (row.pruned_at) pruned += 1;
    else if (index >= firstSize) {
      const reason = refusalReason(row as never, options.verifiers);
      if (reason)
        problems.push({ kind: "signature", ...ref, message: `leaf ${index}: event ${id}: ${reason}` });
    }
  }
  const storedSize = Number(
    (await client.query<{ size: string }>("SELECT tree_size::text AS size FROM ledger_tree_state")).rows[0]
      ?.size ?? 0,
  );
  if (storedSize !== builder.size)
    problems.push({
      kind: "log",
      message: `the tree state says ${storedSize} leaves, there are ${builder.size}`,
    });
  else if ((await treeRoot(client, storedSize)).toString("hex") !== builder.root().toString("hex"))
    problems.push({
      kind: "log",
      message: `the stored subtree hashes do not give the leaves' root at size ${storedSize}`,
    });

  // Events the log owes a leaf.
  const late = new Date(options.now.getTime() - options.maxMergeDelaySeconds * 1000);
  const { rows: missing } = await client.query(
    `SELECT ${EVENT_CHECK_COLUMNS} FROM consent_events e
      WHERE NOT EXISTS (SELECT 1 FROM ledger_leaves l WHERE l.event_id = e.id) AND e.recorded_at < $1
      ORDER BY e.position`,
    [late],
  );
  for (const row of missing) {
    const reason = refusalReason(row, options.verifiers);
    problems.push({
      kind: "not_in_log",
      eventId: row.id,
      subjectId: row.subject_id,
      seq: row.seq,
      message: `event ${row.id} (subject ${row.subject_id}, seq ${row.seq}) has no leaf ${options.maxMergeDelaySeconds} s after it was recorded${
        reason ? `, and ${reason}: it was not written by the app` : ""
      }`,
    });
  }
  return { leaves: builder.size, signedCheckpoints: checkpoints.length, pruned, problems };
}
