import "server-only";
import { pool } from "@/lib/db";
import { pruneSubjectsEvidence } from "@/lib/ledger/prune";

/**
 * Subjects per pruneSubjectsEvidence call (one UPDATE each). Large on
 * purpose: a subject's events are spread over the whole table (appended over
 * years, between everyone else's), so every call rewrites pages all over
 * consent_events and its position, time and txid indexes. With 1,000
 * subjects a call (50,000 events at 50 each) a retention run over 1,000,000
 * events made 20 passes, each dirtying over half of the table's pages again;
 * with 20,000 it makes one, like one set-based statement. The answer is a row
 * of counts whatever the size, and the rows locked are those of closed
 * accounts, which nothing else writes.
 */
const SUBJECT_BATCH = 20_000;

// Closed accounts, not on legal hold, closed before $1.
const CLOSED_NOT_HELD = `u.deregistered_at <= $1
  AND NOT EXISTS (SELECT 1 FROM legal_holds h WHERE h.subject_id = u.id AND h.released_at IS NULL)`;

/**
 * Prunes the consent events of accounts closed before `closedBefore` (and not
 * on legal hold) through the ledger's bulk pruneSubjectsEvidence
 * (docs/ledger.md §12: counts, not a row per event; it re-checks the holds):
 * ip, user agent, locale and idempotency key go; hashes, chain links and
 * leaves stay, so the ledger still verifies and reports them as pruned.
 * Returns how many events were pruned (or, on a dry run, would be).
 * Raw SQL: set-based selection of the due subjects; the typed rows are ids.
 */
export async function pruneClosedAccountEvidence(options: {
  closedBefore: Date;
  at: Date;
  dryRun: boolean;
}): Promise<number> {
  if (options.dryRun) {
    const { rows } = await pool.query<{ n: string }>(
      `SELECT count(*) AS n FROM consent_events e JOIN users u ON u.id = e.subject_id
       WHERE e.pruned_at IS NULL AND ${CLOSED_NOT_HELD}`,
      [options.closedBefore],
    );
    return Number(rows[0]?.n ?? 0);
  }
  let total = 0;
  let after = "00000000-0000-0000-0000-000000000000";
  for (;;) {
    // Keyset over the subjects, so events that cannot be pruned yet (not in
    // the log: appended a moment ago) do not make this loop forever.
    const { rows } = await pool.query<{ id: string }>(
      `SELECT u.id::text AS id FROM users u
       WHERE u.id > $2::uuid AND ${CLOSED_NOT_HELD}
         AND EXISTS (SELECT 1 FROM consent_events e WHERE e.subject_id = u.id AND e.pruned_at IS NULL)
       ORDER BY u.id LIMIT ${SUBJECT_BATCH}`,
      [options.closedBefore, after],
    );
    if (!rows.length) return total;
    const result = await pruneSubjectsEvidence(
      rows.map((row) => row.id),
      { at: options.at },
    );
    total += result.pruned;
    after = rows.at(-1)!.id;
  }
}
