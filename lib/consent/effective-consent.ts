// PIPL Art. 14: when a purpose or its notice changes, earlier consent does not
// carry over. A grant counts only for the exact notice it was given to; this
// is the one place that rule lives (the preference centre, the API and the
// re-consent prompts all ask here).

export interface StoredConsentState {
  granted: boolean;
  /** The notice the user was shown when the state was last changed. */
  noticeSha256: string;
}

export interface CurrentPurposeNotice {
  basic: boolean;
  noticeSha256: string;
  /**
   * The hashes of the same notice in its published translations: a grant given
   * to the notice in any language it was published in counts for it
   * (docs/translations.md).
   */
  translationNoticeSha256s?: readonly string[] | undefined;
}

export type EffectiveConsent =
  /** Basic purpose: part of the agreement, ends only by leaving the service. */
  | "required"
  | "granted"
  | "not-granted"
  /** Granted for an earlier notice that has since changed: asks for fresh consent. */
  | "needs-fresh-consent";

export function effectiveConsent(
  purpose: CurrentPurposeNotice,
  state: StoredConsentState | null | undefined,
): EffectiveConsent {
  if (purpose.basic) return "required";
  if (!state?.granted) return "not-granted";
  const current =
    state.noticeSha256 === purpose.noticeSha256 ||
    (purpose.translationNoticeSha256s?.includes(state.noticeSha256) ?? false);
  return current ? "granted" : "needs-fresh-consent";
}

/** True only for a grant given to the purpose's current notice (basic purposes included). */
export function isConsentEffective(
  purpose: CurrentPurposeNotice,
  state: StoredConsentState | null | undefined,
): boolean {
  const effective = effectiveConsent(purpose, state);
  return effective === "granted" || effective === "required";
}
