import "server-only";
import { z } from "zod";
import { pool } from "@/lib/db";
import { now } from "@/lib/clock";
import { digitsInt } from "@/lib/http/query-params";

// Every number is aggregated by Postgres (date_trunc, generate_series, FILTER):
// the app never loops over events. "Active users" are accounts with role USER
// that existed and were not deregistered at the time in question.

export const dashboardQuerySchema = z.strictObject({
  weeks: z.preprocess(
    (value) => (value === "" || value === undefined ? undefined : value),
    digitsInt(
      "Enter a whole number of weeks.",
      z.int().min(4, "Show at least 4 weeks.").max(104, "Show at most 104 weeks."),
    )
      .optional()
      .transform((weeks) => weeks ?? 12),
  ),
});

export interface AcceptancePoint {
  /** Start of the week (ISO date). */
  week: string;
  versionNumber: number | null;
  activeUsers: number;
  accepted: number;
  /** accepted / activeUsers, 0–1 (0 when there are no active users). */
  share: number;
}

/** Share of active users who had accepted the version in effect, at the end of each week. */
export async function acceptanceOverTime(weeks: number, at: Date = now()): Promise<AcceptancePoint[]> {
  const { rows } = await pool.query(
    `WITH points AS (
       SELECT w AS week, LEAST(w + interval '1 week', $1::timestamptz) AS at
         FROM generate_series(date_trunc('week', $1::timestamptz, 'UTC') - ($2::int - 1) * interval '1 week',
                              date_trunc('week', $1::timestamptz, 'UTC'), interval '1 week') AS w
     ), firsts AS (
       SELECT e.subject_id, e.version_id, min(e.recorded_at) AS accepted_at
         FROM consent_events e WHERE e.action = 'AGREEMENT_ACCEPTED' GROUP BY 1, 2
     ), active AS (
       SELECT id, created_at, deregistered_at FROM users WHERE role = 'USER'
     )
     SELECT p.week, v.number AS version_number,
            (SELECT count(*) FROM active u WHERE u.created_at <= p.at AND (u.deregistered_at IS NULL OR u.deregistered_at > p.at))::int AS active_users,
            (SELECT count(*) FROM firsts f JOIN active u ON u.id = f.subject_id
              WHERE f.version_id = v.id AND f.accepted_at <= p.at
                AND u.created_at <= p.at AND (u.deregistered_at IS NULL OR u.deregistered_at > p.at))::int AS accepted
       FROM points p
       LEFT JOIN LATERAL (
         SELECT id, number FROM agreement_versions
          WHERE published_at IS NOT NULL AND effective_at <= p.at ORDER BY effective_at DESC, number DESC LIMIT 1
       ) v ON true
      ORDER BY p.week`,
    [at, weeks],
  );
  return rows.map((row) => ({
    week: isoDay(row.week),
    versionNumber: row.version_number,
    activeUsers: row.active_users,
    accepted: row.accepted,
    share: row.active_users ? row.accepted / row.active_users : 0,
  }));
}

export interface ReconsentProgress {
  version: { number: number; publishedAt: string; effectiveAt: string | null } | null;
  bucket: "day" | "week";
  activeUsers: number;
  points: { date: string; newAcceptances: number; accepted: number; share: number }[];
}

/** Since the latest material version was published: how many active users have accepted it (or a later one). */
export async function reconsentProgress(at: Date = now()): Promise<ReconsentProgress> {
  const { rows: versions } = await pool.query(
    `SELECT number, published_at, effective_at FROM agreement_versions
      WHERE published_at IS NOT NULL AND published_at <= $1 AND material ORDER BY number DESC LIMIT 1`,
    [at],
  );
  const version = versions[0];
  const { rows: active } = await pool.query(
    `SELECT count(*)::int AS n FROM users WHERE role = 'USER' AND created_at <= $1 AND (deregistered_at IS NULL OR deregistered_at > $1)`,
    [at],
  );
  const activeUsers: number = active[0]?.n ?? 0;
  if (!version) return { version: null, bucket: "day", activeUsers, points: [] };
  const bucket = at.getTime() - version.published_at.getTime() <= 90 * 86_400_000 ? "day" : "week";
  const { rows } = await pool.query(
    `WITH buckets AS (
       SELECT generate_series(date_trunc($3, $2::timestamptz, 'UTC'), date_trunc($3, $1::timestamptz, 'UTC'), ('1 ' || $3)::interval) AS bucket
     ), firsts AS (
       SELECT e.subject_id, min(e.recorded_at) AS accepted_at
         FROM consent_events e JOIN users u ON u.id = e.subject_id
        WHERE e.action = 'AGREEMENT_ACCEPTED' AND e.version_number >= $4 AND e.recorded_at <= $1
          AND u.role = 'USER' AND u.created_at <= $1 AND (u.deregistered_at IS NULL OR u.deregistered_at > $1)
        GROUP BY 1
     ), per_bucket AS (
       SELECT date_trunc($3, accepted_at, 'UTC') AS bucket, count(*)::int AS n FROM firsts GROUP BY 1
     )
     SELECT b.bucket, COALESCE(p.n, 0) AS new_acceptances,
            (sum(COALESCE(p.n, 0)) OVER (ORDER BY b.bucket))::int
              + (SELECT count(*) FROM firsts WHERE accepted_at < (SELECT min(bucket) FROM buckets))::int AS accepted
       FROM buckets b LEFT JOIN per_bucket p USING (bucket)
      ORDER BY b.bucket`,
    [at, version.published_at, bucket, version.number],
  );
  return {
    version: {
      number: version.number,
      publishedAt: version.published_at.toISOString(),
      effectiveAt: version.effective_at?.toISOString() ?? null,
    },
    bucket,
    activeUsers,
    points: rows.map((row) => ({
      date: isoDay(row.bucket),
      newAcceptances: row.new_acceptances,
      accepted: row.accepted,
      share: activeUsers ? row.accepted / activeUsers : 0,
    })),
  };
}

export interface PurposeWeek {
  week: string;
  purposeKey: string;
  granted: number;
  withdrawn: number;
}

/** Grants and withdrawals per optional purpose per week (zeros included). */
export async function purposeActivity(weeks: number, at: Date = now()): Promise<PurposeWeek[]> {
  const { rows } = await pool.query(
    `WITH weeks AS (
       SELECT generate_series(date_trunc('week', $1::timestamptz, 'UTC') - ($2::int - 1) * interval '1 week',
                              date_trunc('week', $1::timestamptz, 'UTC'), interval '1 week') AS week
     ), keys AS (
       SELECT DISTINCT key FROM purposes WHERE NOT basic
     ), counts AS (
       SELECT date_trunc('week', e.recorded_at, 'UTC') AS week, e.purpose_key,
              count(*) FILTER (WHERE e.action = 'PURPOSE_GRANTED')::int AS granted,
              count(*) FILTER (WHERE e.action = 'PURPOSE_WITHDRAWN')::int AS withdrawn
         FROM consent_events e
        WHERE e.action IN ('PURPOSE_GRANTED', 'PURPOSE_WITHDRAWN')
          AND e.recorded_at >= (SELECT min(week) FROM weeks) AND e.recorded_at <= $1
        GROUP BY 1, 2
     )
     SELECT w.week, k.key, COALESCE(c.granted, 0) AS granted, COALESCE(c.withdrawn, 0) AS withdrawn
       FROM weeks w CROSS JOIN keys k LEFT JOIN counts c ON c.week = w.week AND c.purpose_key = k.key
      ORDER BY w.week, k.key`,
    [at, weeks],
  );
  return rows.map((row) => ({
    week: isoDay(row.week),
    purposeKey: row.key,
    granted: row.granted,
    withdrawn: row.withdrawn,
  }));
}

function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}
