import "server-only";
import { pool } from "@/lib/db";
import { now } from "@/lib/clock";
import { appendConsentEvent } from "@/lib/ledger/append";
import { GPC_PURPOSE_KEY, decideGpc } from "@/lib/consent/gpc-rule";
import type { RequestMeta } from "@/lib/http/request-meta";

interface GpcRow {
  version_id: string | null;
  version_number: number | null;
  gpc_applied_at: Date | null;
  purpose_notice: string | null;
  granted: boolean | null;
  state_notice: string | null;
  updated_at: Date | null;
  event_id: string | null;
}

const GPC_SQL = `
SELECT s.accepted_version_id::text AS version_id, s.accepted_version_number AS version_number, s.gpc_applied_at,
  p.notice_sha256 AS purpose_notice, st.granted, st.notice_sha256 AS state_notice, st.updated_at,
  st.event_id::text AS event_id
FROM consent_subjects s
LEFT JOIN purposes p ON p.version_id = s.accepted_version_id AND p.key = $2
LEFT JOIN consent_states st ON st.subject_id = s.subject_id AND st.purpose_key = $2
WHERE s.subject_id = $1::uuid`;

export type GpcOutcome = "withdrew" | "marked" | "unchanged";

/**
 * Applies a request's Global Privacy Control signal to the signed-in user.
 * Idempotent: once applied, further requests with the signal write nothing.
 * Called by the preference centre, the account pages and the /me API.
 */
export async function applyGpcSignal(
  subjectId: string,
  meta: Pick<RequestMeta, "gpc" | "ipTruncated" | "userAgent" | "locale">,
): Promise<GpcOutcome> {
  if (!meta.gpc) return "unchanged";
  const { rows } = await pool.query<GpcRow>(GPC_SQL, [subjectId, GPC_PURPOSE_KEY]);
  const row = rows[0];
  // No accepted agreement: nothing is shared and there is no chain to mark yet.
  if (!row?.version_id || row.version_number === null) return "unchanged";
  const sharing =
    row.granted !== null && row.updated_at ? { granted: row.granted, updatedAt: row.updated_at } : null;
  const decision = decideGpc({ signal: true, gpcAppliedAt: row.gpc_applied_at, sharing });
  if (decision === "mark") {
    await pool.query(
      "UPDATE consent_subjects SET gpc_applied_at = $2 WHERE subject_id = $1::uuid AND gpc_applied_at IS NULL",
      [subjectId, now()],
    );
    return "marked";
  }
  if (decision === "none") return "unchanged";
  await appendConsentEvent({
    subjectId,
    action: "PURPOSE_WITHDRAWN",
    versionId: row.version_id,
    versionNumber: row.version_number,
    purposeKey: GPC_PURPOSE_KEY,
    noticeSha256: row.purpose_notice ?? row.state_notice ?? "",
    method: "GPC",
    ipTruncated: meta.ipTruncated,
    userAgent: meta.userAgent,
    locale: meta.locale,
    // One withdrawal per grant, however many signalled requests race here.
    idempotencyKey: `gpc:${row.event_id ?? "none"}`,
    gpc: "set",
  });
  return "withdrew";
}
