// Who must be asked what about agreement versions (seed §7). Pure: a function
// of the published versions, the user's answers so far and "now".
import { findInEffect } from "@/lib/agreements/version-state";

export interface PromptVersion {
  id: string;
  number: number;
  title: string;
  bodySha256: string;
  changeSummary: string | null;
  material: boolean;
  effectiveAt: Date;
  /** Imported or added as history: asks nobody to consent again or to read a notice. */
  historical?: boolean;
}

/**
 * What a signed-in user must be told about agreement versions (seed §7):
 * - required: a material version (or the first one) is in effect and not accepted: explicit prompt;
 * - upcoming: a material version is scheduled and not accepted: banner, may accept early;
 * - notice: a non-material revision not yet seen: dismissible notice;
 * - none.
 */
export type ReconsentStatus =
  | { kind: "none" }
  | { kind: "required" | "upcoming" | "notice"; version: PromptVersion; acceptedNumber: number | null };

export function decideReconsent(
  versions: readonly PromptVersion[],
  subject: { acceptedVersionNumber: number | null; acknowledgedVersionNumber: number | null } | null,
  at: Date,
): ReconsentStatus {
  const published = versions.map((v) => ({ ...v, publishedAt: v.effectiveAt }));
  const inEffect = findInEffect(published, at);
  const acceptedNumber = subject?.acceptedVersionNumber ?? null;
  const accepted = acceptedNumber ?? 0;
  const materialInEffect = Math.max(
    0,
    ...versions.filter((v) => v.material && !v.historical && v.effectiveAt <= at).map((v) => v.number),
  );
  if (inEffect && (acceptedNumber === null || accepted < materialInEffect)) {
    return { kind: "required", version: strip(inEffect), acceptedNumber };
  }
  const upcoming = versions
    .filter((v) => v.material && !v.historical && v.effectiveAt > at && v.number > accepted)
    .sort((a, b) => b.number - a.number)[0];
  if (upcoming) return { kind: "upcoming", version: upcoming, acceptedNumber };
  const seen = Math.max(accepted, subject?.acknowledgedVersionNumber ?? 0);
  const latest = versions.filter((v) => !v.historical).sort((a, b) => b.number - a.number)[0];
  if (latest && latest.number > seen) return { kind: "notice", version: latest, acceptedNumber };
  return { kind: "none" };
}

function strip<V extends PromptVersion>(v: V): PromptVersion {
  const { id, number, title, bodySha256, changeSummary, material, effectiveAt } = v;
  return { id, number, title, bodySha256, changeSummary, material, effectiveAt };
}

/**
 * The version whose purposes a subject's consent is measured against, by
 * number: the version in effect, or the one the subject accepted if that is
 * newer (accepted early). Null before the subject accepted any version.
 * The preference centre, the re-consent banner, the status API and grants all
 * use it, so they never disagree about a purpose (issue 8): a grant given to
 * an older notice shows as needing fresh consent everywhere, and granting
 * again records against this version.
 */
export function governingVersionNumber(
  inEffectNumber: number | null,
  acceptedNumber: number | null,
): number | null {
  if (acceptedNumber === null) return null;
  return Math.max(inEffectNumber ?? 0, acceptedNumber);
}
