// A subject's consent status, as services read it and consent tokens state
// it. Pure: built from the one row the status query returns, with the same
// rules the preference centre uses (effective-consent.ts, reconsent-rules.ts).
import { decideReconsent, type PromptVersion } from "@/lib/agreements/reconsent-rules";
import { effectiveConsent } from "@/lib/consent/effective-consent";
import type { SubjectStatusOut } from "@/lib/service-api/schemas";

export interface StatusRow {
  seq: number | null;
  accepted_version_number: number | null;
  accepted_at: Date | string | null;
  acknowledged_version_number: number | null;
  /** Published versions (JSON aggregate). */
  versions: { id: string; number: number; title: string; material: boolean; effectiveAt: string }[] | null;
  /** Purposes of the accepted version (or the version in effect), with the subject's stored states. */
  purposes:
    | {
        key: string;
        basic: boolean;
        noticeSha256: string;
        granted: boolean | null;
        stateNotice: string | null;
        /** The notice's hashes in its published translations (a grant given in any language counts). */
        translationNotices: string[] | null;
        method: SubjectStatusOut["purposes"][number]["method"];
        updatedAt: string | null;
      }[]
    | null;
}

const iso = (value: Date | string | null): string | null =>
  value === null ? null : new Date(value).toISOString();

export function buildSubjectStatus(subjectId: string, row: StatusRow, at: Date): SubjectStatusOut {
  const versions: PromptVersion[] = (row.versions ?? []).map((v) => ({
    id: v.id,
    number: v.number,
    title: v.title,
    bodySha256: "",
    changeSummary: null,
    material: v.material,
    effectiveAt: new Date(v.effectiveAt),
  }));
  const accepted = row.accepted_version_number;
  const decision = decideReconsent(
    versions,
    row.seq === null
      ? null
      : { acceptedVersionNumber: accepted, acknowledgedVersionNumber: row.acknowledged_version_number },
    at,
  );
  const inEffect = versions
    .filter((v) => v.effectiveAt <= at)
    .sort((a, b) => b.effectiveAt.getTime() - a.effectiveAt.getTime() || b.number - a.number)[0];
  return {
    subjectId,
    known: row.seq !== null && row.seq > 0,
    agreement: {
      acceptedVersion: accepted,
      acceptedAt: iso(row.accepted_at),
      inEffectVersion: inEffect?.number ?? null,
      reconsent: decision.kind,
      reconsentVersion: decision.kind === "none" ? null : decision.version.number,
    },
    purposes: (row.purposes ?? []).map((purpose) => {
      const state =
        purpose.granted === null
          ? null
          : { granted: purpose.granted, noticeSha256: purpose.stateNotice ?? "" };
      // Nothing accepted: no purpose has a basis yet, basic ones included.
      const consent =
        accepted === null
          ? "not-granted"
          : effectiveConsent(
              { ...purpose, translationNoticeSha256s: purpose.translationNotices ?? [] },
              state,
            );
      return {
        key: purpose.key,
        basic: purpose.basic,
        consent,
        granted: consent === "granted" || consent === "required",
        method: purpose.method,
        updatedAt: purpose.updatedAt === null ? null : iso(purpose.updatedAt),
      };
    }),
    seq: row.seq ?? 0,
  };
}
