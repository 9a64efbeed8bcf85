import "server-only";
import type pg from "pg";

/** What an erased account's email becomes: unique, names nobody, and can never receive mail (RFC 2606). */
export const erasedEmail = (id: string) => `erased-${id}@erased.invalid`;
/** Not a hash any password can match: verification fails before comparing. */
export const ERASED_PASSWORD_HASH = "!erased";
export const ERASED_NOTE = "[erased]";

/**
 * Erases the personal fields of closed accounts at the end of their grace
 * period (docs/rights.md, "Erasure"), inside the caller's transaction, set
 * based over `ids`:
 * - the account: email → erasedEmail(id), password hash → unusable, language → default;
 * - what the user wrote and was answered in requests, and staff notes about them;
 * - the outbox rows addressed to them, their emailed links, and rate-limit counters keyed by their email;
 * - open closure requests complete (the account's data is erased: what they asked).
 * Consent events stay as evidence until their own retention (prune-evidence.ts).
 * Raw SQL: five set-based statements instead of a loop per account.
 */
export async function eraseAccounts(client: pg.PoolClient, ids: string[], at: Date) {
  if (!ids.length) return { accounts: 0, closures: [] as { id: string; reference: string }[] };
  // Rate-limit keys embed the email ("signin_account:<email>"): remove them before the email goes.
  await client.query(
    `DELETE FROM rate_limits r USING users u
     WHERE u.id = ANY($1::uuid[]) AND right(r.key, length(u.email) + 1) = ':' || u.email`,
    [ids],
  );
  const accounts = await client.query(
    `UPDATE users SET email = 'erased-' || id::text || '@erased.invalid', password_hash = $2,
       locale = 'en', erased_at = $3
     WHERE id = ANY($1::uuid[]) AND erased_at IS NULL`,
    [ids, ERASED_PASSWORD_HASH, at],
  );
  await client.query(
    `UPDATE rights_request_notes n SET body = $2
     FROM rights_requests r WHERE n.request_id = r.id AND r.subject_id = ANY($1::uuid[])`,
    [ids, ERASED_NOTE],
  );
  const closures = await client.query<{ id: string; reference: string; justClosed: boolean }>(
    `UPDATE rights_requests SET message = NULL, outcome = NULL, updated_at = $2,
       status = CASE WHEN type = 'CLOSURE' AND status IN ('RECEIVED', 'IN_PROGRESS') THEN 'COMPLETED'::"RightsRequestStatus" ELSE status END,
       closed_at = CASE WHEN type = 'CLOSURE' AND status IN ('RECEIVED', 'IN_PROGRESS') THEN $2 ELSE closed_at END
     WHERE subject_id = ANY($1::uuid[])
     RETURNING id::text, reference, (type = 'CLOSURE' AND closed_at = $2) AS "justClosed"`,
    [ids, at],
  );
  await client.query(`DELETE FROM notifications WHERE user_id = ANY($1::uuid[])`, [ids]);
  // Emailed links (an address being changed to is personal data too).
  await client.query(`DELETE FROM account_tokens WHERE user_id = ANY($1::uuid[])`, [ids]);
  return {
    accounts: accounts.rowCount ?? 0,
    closures: closures.rows.filter((row) => row.justClosed).map(({ id, reference }) => ({ id, reference })),
  };
}
