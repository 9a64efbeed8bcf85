import "server-only";
import { pool, prisma } from "@/lib/db";
import { now } from "@/lib/clock";
import { recordAudit } from "@/lib/audit-log/record-audit";
import { addDays, readRightsPolicy, type RightsPolicy } from "@/lib/rights/policy";
import { REQUEST_TARGET } from "@/lib/rights/requests";
import { eraseAccounts } from "@/lib/retention/erase-account";
import { pruneClosedAccountEvidence } from "@/lib/retention/prune-evidence";

export const PURGE_ACTION = "retention.purged";
/** Accounts erased per transaction: bounded locks and WAL per step. */
const ERASE_BATCH = 500;
/** Only one purge at a time across processes (pg_advisory_xact_lock key). */
const PURGE_LOCK = 0x5e7e471;

export interface PurgeCounts {
  /** Closed accounts whose personal fields were erased (grace period over). */
  accountsErased: number;
  /** Consent events of closed accounts pruned to their hashes (evidence retention over). */
  consentEventsPruned: number;
  /** Outbox rows of sent or finally failed mail deleted. */
  sentMailDeleted: number;
  /** Expired rate-limit counters deleted. */
  rateLimitsDeleted: number;
  /** Audit-log entries deleted. */
  auditEntriesDeleted: number;
}

export interface PurgeReport {
  dryRun: boolean;
  at: Date;
  counts: PurgeCounts;
  /** Subjects skipped because a legal hold is active. */
  subjectsOnHold: number;
  /** What the policy made of "now" for each kind. */
  cutoffs: Record<keyof PurgeCounts, string>;
  /** Steps that could not run (e.g. pruning before the ledger supports it). */
  skipped: string[];
}

const HELD = `EXISTS (SELECT 1 FROM legal_holds h WHERE h.subject_id = u.id AND h.released_at IS NULL)`;

function cutoffsFor(policy: RightsPolicy, at: Date) {
  return {
    accountsErased: addDays(at, -policy.deregistrationGraceDays),
    consentEventsPruned: addDays(at, -policy.consentEvidenceDays),
    sentMailDeleted: addDays(at, -policy.sentMailDays),
    rateLimitsDeleted: addDays(at, -policy.rateLimitDays),
    auditEntriesDeleted: addDays(at, -policy.auditLogDays),
  };
}

async function count(sql: string, values: unknown[]): Promise<number> {
  const { rows } = await pool.query<{ n: string }>(sql, values);
  return Number(rows[0]?.n ?? 0);
}

/**
 * Applies the retention policy (docs/rights.md, "Retention") once: erases
 * closed accounts past their grace period, prunes the consent events of
 * accounts closed longer than the evidence period, deletes old sent mail,
 * expired rate-limit counters and old audit entries. Subjects on legal hold
 * are skipped throughout. A real run is recorded in the audit log with its
 * counts; a dry run only counts and writes nothing.
 *
 * Raw SQL: each kind is one set-based statement over possibly millions of
 * rows (bench/rights-retention.ts measures it against a bare DELETE).
 */
export async function runRetention(options: { dryRun?: boolean; at?: Date } = {}): Promise<PurgeReport> {
  const dryRun = options.dryRun ?? false;
  const at = options.at ?? now();
  const policy = await readRightsPolicy();
  const cut = cutoffsFor(policy, at);
  const counts: PurgeCounts = {
    accountsErased: 0,
    consentEventsPruned: 0,
    sentMailDeleted: 0,
    rateLimitsDeleted: 0,
    auditEntriesDeleted: 0,
  };
  const skipped: string[] = [];
  const subjectsOnHold = await count(
    `SELECT count(DISTINCT subject_id) AS n FROM legal_holds WHERE released_at IS NULL`,
    [],
  );

  const dueForErasure = `FROM users u WHERE u.deregistered_at <= $1 AND u.erased_at IS NULL AND NOT ${HELD}`;
  if (dryRun) {
    counts.accountsErased = await count(`SELECT count(*) AS n ${dueForErasure}`, [cut.accountsErased]);
  } else {
    for (;;) {
      const erased = await eraseBatch(dueForErasure, cut.accountsErased, at);
      counts.accountsErased += erased;
      if (erased < ERASE_BATCH) break;
    }
  }

  counts.consentEventsPruned = await pruneClosedAccountEvidence({
    closedBefore: cut.consentEventsPruned,
    at,
    dryRun,
  });

  const mailWhere = `FROM notifications n WHERE n.status IN ('SENT', 'FAILED')
    AND COALESCE(n.sent_at, n.next_attempt_at) < $1
    AND NOT EXISTS (SELECT 1 FROM legal_holds h WHERE h.subject_id = n.user_id AND h.released_at IS NULL)`;
  counts.sentMailDeleted = dryRun
    ? await count(`SELECT count(*) AS n ${mailWhere}`, [cut.sentMailDeleted])
    : ((
        await pool.query(`DELETE FROM notifications WHERE id IN (SELECT n.id ${mailWhere})`, [
          cut.sentMailDeleted,
        ])
      ).rowCount ?? 0);

  // rate-limiter-flexible stores `expire` as epoch milliseconds.
  const limitWhere = `FROM rate_limits WHERE expire IS NOT NULL AND expire < $1`;
  const limitCut = cut.rateLimitsDeleted.getTime();
  counts.rateLimitsDeleted = dryRun
    ? await count(`SELECT count(*) AS n ${limitWhere}`, [limitCut])
    : ((await pool.query(`DELETE ${limitWhere}`, [limitCut])).rowCount ?? 0);

  counts.auditEntriesDeleted = await count(
    `SELECT accord_purge_audit_log($1, $2, ARRAY(SELECT subject_id::text FROM legal_holds WHERE released_at IS NULL)) AS n`,
    [cut.auditEntriesDeleted, dryRun],
  );

  const report: PurgeReport = {
    dryRun,
    at,
    counts,
    subjectsOnHold,
    cutoffs: Object.fromEntries(
      Object.entries(cut).map(([kind, date]) => [kind, date.toISOString()]),
    ) as PurgeReport["cutoffs"],
    skipped,
  };
  if (!dryRun) {
    await recordAudit({
      actor: null,
      meta: null,
      action: PURGE_ACTION,
      targetType: "retention",
      details: {
        counts: { ...counts },
        subjectsOnHold,
        cutoffs: report.cutoffs,
        skipped,
      },
    });
  }
  return report;
}

/** One transaction: lock up to ERASE_BATCH due accounts, erase them, audit each. */
async function eraseBatch(dueForErasure: string, cutoff: Date, at: Date): Promise<number> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    await client.query("SELECT pg_advisory_xact_lock($1)", [PURGE_LOCK]);
    // FOR UPDATE: a cancellation racing this batch either commits first (the
    // row no longer matches) or waits and then finds erased_at set.
    const { rows } = await client.query<{ id: string }>(
      `SELECT u.id::text AS id ${dueForErasure} ORDER BY u.deregistered_at LIMIT ${ERASE_BATCH} FOR UPDATE OF u`,
      [cutoff],
    );
    const ids = rows.map((row) => row.id);
    const erased = await eraseAccounts(client, ids, at);
    if (ids.length) {
      await client.query(
        `INSERT INTO audit_log (action, target_type, target_id, details, created_at)
         SELECT 'account.erased', 'user', id, '{}'::jsonb, $2 FROM unnest($1::text[]) AS id`,
        [ids, at],
      );
    }
    if (erased.closures.length) {
      await client.query(
        `INSERT INTO audit_log (action, target_type, target_id, details, created_at)
         SELECT 'rights.request.completed', $3, c.id,
           jsonb_build_object('reference', c.reference, 'decision', 'COMPLETED', 'emailed', false, 'by', 'retention'), $2
         FROM unnest($1::text[], $4::text[]) AS c(id, reference)`,
        [erased.closures.map((c) => c.id), at, REQUEST_TARGET, erased.closures.map((c) => c.reference)],
      );
    }
    await client.query("COMMIT");
    return ids.length;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

/** The last purges, newest first, for /admin/retention. */
export async function listPurges(take = 10) {
  return prisma.auditLogEntry.findMany({
    where: { action: PURGE_ACTION },
    orderBy: { id: "desc" },
    take,
    select: { id: true, createdAt: true, details: true },
  });
}
