import "server-only";
import { pool } from "@/lib/db";
import { pruneConsentEvidence } from "@/lib/ledger/prune";

/** Subjects per pruneConsentEvidence call: bounded locks and result size. */
const SUBJECT_BATCH = 1_000;

// Closed accounts, not on legal hold, closed before $1.
const CLOSED_NOT_HELD = `u.deregistered_at <= $1
  AND NOT EXISTS (SELECT 1 FROM legal_holds h WHERE h.subject_id = u.id AND h.released_at IS NULL)`;

/**
 * Prunes the consent events of accounts closed before `closedBefore` (and not
 * on legal hold) through the ledger's pruneConsentEvidence (docs/ledger.md
 * §12): ip, user agent, locale and idempotency key go; hashes, chain links
 * and leaves stay, so the ledger still verifies and reports them as pruned.
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
    const result = await pruneConsentEvidence({ subjectIds: rows.map((row) => row.id) }, { at: options.at });
    total += result.pruned.length;
    after = rows.at(-1)!.id;
  }
}
