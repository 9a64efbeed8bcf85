import "server-only";
import { pool } from "@/lib/db";
import { now } from "@/lib/clock";
import { buildSubjectStatus, type StatusRow } from "@/lib/service-api/status-rules";
import type { SubjectStatusOut } from "@/lib/service-api/schemas";

/**
 * The columns of a subject's status, for a statement whose FROM clause names
 * the subject's head row as `s` (possibly NULL: nothing recorded yet) and
 * whose `$2` is the time now. One round trip answers a status read: the
 * head, the published versions (a handful of rows) and the purposes of the
 * accepted version (or of the version in effect) with the subject's states.
 * Raw SQL because Prisma would need three queries for this; the row type is
 * StatusRow.
 */
export const STATUS_COLUMNS = `
  s.seq, s.accepted_version_number, s.accepted_at, s.acknowledged_version_number,
  (SELECT json_agg(json_build_object('id', v.id, 'number', v.number, 'title', v.title,
      'material', v.material, 'effectiveAt', v.effective_at) ORDER BY v.number)
     FROM agreement_versions v
    WHERE v.published_at IS NOT NULL AND v.number IS NOT NULL AND v.effective_at IS NOT NULL) AS versions,
  (SELECT json_agg(json_build_object('key', p.key, 'basic', p.basic, 'noticeSha256', p.notice_sha256,
      'granted', cs.granted, 'stateNotice', cs.notice_sha256, 'method', cs.method, 'updatedAt', cs.updated_at,
      'translationNotices', (SELECT json_agg(pt.notice_sha256) FROM purpose_translations pt
                              WHERE pt.purpose_id = p.id AND pt.published_at IS NOT NULL))
      ORDER BY p.position, p.key)
     FROM purposes p
     LEFT JOIN consent_states cs ON cs.subject_id = s.subject_id AND cs.purpose_key = p.key
    WHERE p.version_id = COALESCE(s.accepted_version_id, (
      SELECT v.id FROM agreement_versions v
       WHERE v.published_at IS NOT NULL AND v.effective_at <= $2::timestamptz
       ORDER BY v.effective_at DESC, v.number DESC LIMIT 1))) AS purposes`;

const BY_SUBJECT_SQL = `
SELECT ${STATUS_COLUMNS}
FROM (SELECT $1::uuid AS id) q
LEFT JOIN consent_subjects s ON s.subject_id = q.id`;

/**
 * The consent status of one subject by Accord's subject id. `label` is how
 * the answer names the subject (the service's own id for external subjects).
 */
export async function readSubjectStatus(
  subjectId: string,
  label: string = subjectId,
  at: Date = now(),
): Promise<SubjectStatusOut> {
  const { rows } = await pool.query<StatusRow>({
    name: "subject-status-v2",
    text: BY_SUBJECT_SQL,
    values: [subjectId, at],
  });
  if (!rows[0]) throw new Error("subject status: the query returned no row");
  return buildSubjectStatus(label, rows[0], at);
}
