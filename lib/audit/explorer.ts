import "server-only";
import { pool } from "@/lib/db";
import { eventWhere } from "@/lib/audit/event-sql";
import { encodeCursor, type ExplorerQuery } from "@/lib/audit/filters";
import type { ConsentAction, ConsentMethod } from "@/lib/generated/prisma/enums";

export interface ExplorerRow {
  id: string;
  recordedAt: string;
  subjectId: string;
  email: string | null;
  seq: number;
  action: ConsentAction;
  versionNumber: number;
  purposeKey: string | null;
  method: ConsentMethod;
  hash: string;
  /** When the event's personal fields were pruned (docs/ledger.md §12), or null. */
  prunedAt: string | null;
}

export interface ExplorerPage {
  rows: ExplorerRow[];
  /** Opaque cursor of the next (older) page, or null on the last page. */
  nextCursor: string | null;
  /** Only when asked for: counting the whole table is not free. */
  total: number | null;
}

/** Purpose keys declared by any version: the filter accepts only these. */
export async function listPurposeKeys(): Promise<string[]> {
  const { rows } = await pool.query<{ key: string }>(`SELECT DISTINCT key FROM purposes ORDER BY key`);
  return rows.map((row) => row.key);
}

/** Newest first, one page after the cursor (keyset on recorded_at, id). */
export async function listConsentEvents(query: ExplorerQuery): Promise<ExplorerPage> {
  const where = eventWhere(query.filters, { cursor: query.cursor });
  const limit = query.limit;
  const { rows } = await pool.query<{
    id: string;
    recorded_at: Date;
    subject_id: string;
    email: string | null;
    seq: number;
    action: ConsentAction;
    version_number: number;
    purpose_key: string | null;
    method: ConsentMethod;
    hash: string;
    pruned_at: Date | null;
  }>(
    `SELECT e.id, e.recorded_at, e.subject_id, u.email, e.seq, e.action, e.version_number, e.purpose_key, e.method,
            e.hash, e.pruned_at
       FROM consent_events e LEFT JOIN users u ON u.id = e.subject_id
       ${where.text}
      ORDER BY e.recorded_at DESC, e.id DESC
      LIMIT $${where.values.length + 1}`,
    [...where.values, limit + 1],
  );
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  const total = query.count ? await countConsentEvents(query) : null;
  return {
    rows: page.map((row) => ({
      id: row.id,
      recordedAt: row.recorded_at.toISOString(),
      subjectId: row.subject_id,
      email: row.email,
      seq: row.seq,
      action: row.action,
      versionNumber: row.version_number,
      purposeKey: row.purpose_key,
      method: row.method,
      hash: row.hash,
      prunedAt: row.pruned_at?.toISOString() ?? null,
    })),
    nextCursor:
      rows.length > limit && last ? encodeCursor({ recordedAt: last.recorded_at, id: last.id }) : null,
    total,
  };
}

async function countConsentEvents(query: ExplorerQuery): Promise<number> {
  const where = eventWhere(query.filters);
  const { rows } = await pool.query<{ n: string }>(
    `SELECT count(*)::text AS n FROM consent_events e ${where.text}`,
    where.values,
  );
  return Number(rows[0]?.n ?? 0);
}
