// governingVersionNumber (reconsent-rules.ts) in SQL, for the one-query reads
// and writes (change-purpose.ts, service-api/my-consent.ts): the id of the
// version in effect at `atParam` when it is newer than the subject's accepted
// one, else the accepted one. Versions take effect in number order
// (publish-rules.ts), so "newer and already in effect" is the version in
// effect whenever it is newer than the accepted one.
export function governingVersionIdSql(subject: string, atParam: string): string {
  return `COALESCE((SELECT g.id FROM agreement_versions g
    WHERE g.published_at IS NOT NULL AND g.effective_at <= ${atParam}
      AND g.number > ${subject}.accepted_version_number
    ORDER BY g.effective_at DESC, g.number DESC LIMIT 1), ${subject}.accepted_version_id)`;
}
