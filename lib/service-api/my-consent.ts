import "server-only";
import { pool } from "@/lib/db";
import { now } from "@/lib/clock";
import { governingVersionIdSql } from "@/lib/agreements/governing-version-sql";
import {
  presentPurposeToReader,
  type TranslatedPurpose,
  type VersionPurpose,
} from "@/lib/agreements/purposes";
import { buildPreferences, type Preferences, type StoredSubjectConsent } from "@/lib/consent/preferences";
import type { SessionClaims } from "@/lib/auth/session";

/** GET /api/v1/me/consent's answer, from the signed-in user's preferences (route and fast path alike). */
export function myConsentAnswer(preferences: Preferences, gpcSignal: boolean) {
  return {
    acceptedVersion: preferences.acceptedVersion,
    gpc: { signal: gpcSignal, appliedAt: preferences.gpcAppliedAt },
    purposes: preferences.purposes.map(({ lastChange, ...purpose }) => ({
      ...purpose,
      granted: purpose.consent === "granted" || purpose.consent === "required",
      lastChange,
    })),
  };
}

// The session check and the whole preference read in one statement (the
// route takes one query for the user and three for the preferences): the
// user must be active and still on the session's version (lib/auth/session.ts),
// and the row carries the subject's head, its states, and the purposes of its
// current version (the one in effect, or the one accepted early:
// governingVersionIdSql) with their published translations. Raw SQL for the
// one round trip; the row type is MyConsentRow.
const MY_CONSENT_SQL = `
SELECT s.accepted_version_id::text AS accepted_version_id, s.accepted_version_number, s.accepted_at,
  s.gpc_applied_at, v.locale AS version_locale, v.id::text AS current_version_id, v.number AS current_version_number,
  (SELECT json_agg(json_build_object('purposeKey', cs.purpose_key, 'granted', cs.granted,
      'noticeSha256', cs.notice_sha256, 'method', cs.method, 'eventId', cs.event_id,
      'updatedAt', cs.updated_at, 'versionNumber', cs.version_number))
     FROM consent_states cs WHERE cs.subject_id = u.id) AS states,
  (SELECT json_agg(json_build_object('id', p.id, 'key', p.key, 'name', p.name, 'description', p.description,
      'basic', p.basic, 'dpvTerm', p.dpv_term, 'position', p.position, 'noticeSha256', p.notice_sha256,
      'translations', COALESCE((SELECT json_agg(json_build_object('locale', t.locale, 'name', t.name,
          'description', t.description, 'noticeSha256', t.notice_sha256))
        FROM purpose_translations t WHERE t.purpose_id = p.id AND t.published_at IS NOT NULL), '[]'::json))
      ORDER BY p.position, p.key)
     FROM purposes p WHERE p.version_id = v.id) AS purposes
FROM users u
LEFT JOIN consent_subjects s ON s.subject_id = u.id
LEFT JOIN agreement_versions v ON v.id = ${governingVersionIdSql("s", "$3::timestamptz")}
WHERE u.id = $1::uuid AND u.deregistered_at IS NULL AND u.session_version = $2`;

interface MyConsentRow {
  accepted_version_id: string | null;
  accepted_version_number: number | null;
  accepted_at: Date | null;
  gpc_applied_at: Date | null;
  version_locale: string | null;
  current_version_id: string | null;
  current_version_number: number | null;
  states: (Omit<StoredSubjectConsent["states"][number], "updatedAt"> & { updatedAt: string })[] | null;
  purposes: (VersionPurpose & { translations: TranslatedPurpose[] })[] | null;
}

/**
 * The preferences of the session's user, or null when the session no longer
 * counts (deregistered, or signed out everywhere). One query. Purposes are
 * shown in English, as the route shows them.
 */
export async function readMyPreferences(claims: SessionClaims, locale = "en"): Promise<Preferences | null> {
  const { rows } = await pool.query<MyConsentRow>({
    name: "my-consent-v2",
    text: MY_CONSENT_SQL,
    values: [claims.sub, claims.sv, now()],
  });
  const row = rows[0];
  if (!row) return null;
  if (
    row.accepted_version_id === null ||
    row.accepted_version_number === null ||
    row.version_locale === null ||
    row.current_version_id === null ||
    row.current_version_number === null
  )
    return { acceptedVersion: null, currentVersion: null, gpcAppliedAt: row.gpc_applied_at, purposes: [] };
  const versionLocale = row.version_locale;
  return buildPreferences(
    {
      acceptedVersionId: row.accepted_version_id,
      acceptedVersionNumber: row.accepted_version_number,
      acceptedAt: row.accepted_at,
      gpcAppliedAt: row.gpc_applied_at,
      states: (row.states ?? []).map((state) => ({ ...state, updatedAt: new Date(state.updatedAt) })),
    },
    (row.purposes ?? []).map(({ translations, ...purpose }) =>
      presentPurposeToReader(purpose, versionLocale, translations, locale),
    ),
    { id: row.current_version_id, number: row.current_version_number },
  );
}
