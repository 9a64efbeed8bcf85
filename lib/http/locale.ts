// Language preferences from Accept-Language, negotiated properly: q-values
// decide the order, q=0 means "not this", and only well-formed BCP 47 tags of
// at most 35 characters (RFC 5646 §4.4.1) count. Shared by the evidence
// recorded with consent and by the UI's choice of catalogue.
import Negotiator from "negotiator";

/** RFC 5646 §4.4.1: 35 characters hold any tag of practical use. */
export const MAX_LANGUAGE_TAG_LENGTH = 35;

/** The canonical form of a well-formed BCP 47 tag ("EN-us" → "en-US"), or null. */
export function canonicalLanguageTag(tag: string): string | null {
  if (tag.length === 0 || tag.length > MAX_LANGUAGE_TAG_LENGTH || tag === "*") return null;
  try {
    const [canonical] = Intl.getCanonicalLocales(tag);
    return canonical && canonical.length <= MAX_LANGUAGE_TAG_LENGTH ? canonical : null;
  } catch {
    return null;
  }
}

/** The header's acceptable languages, most preferred first, each a canonical tag. */
export function preferredLanguages(acceptLanguage: string | null | undefined): string[] {
  if (!acceptLanguage) return [];
  const ranked = new Negotiator({ headers: { "accept-language": acceptLanguage } }).languages();
  return ranked.map(canonicalLanguageTag).filter((tag): tag is string => tag !== null);
}

/** The most preferred acceptable language, as recorded with consent evidence. */
export function preferredLanguage(acceptLanguage: string | null | undefined): string | null {
  return preferredLanguages(acceptLanguage)[0] ?? null;
}

/**
 * The best of `available` for this header (prefix matches count: "en-GB"
 * accepts "en"), or undefined when the header accepts none of them.
 */
export function negotiateLanguage(
  acceptLanguage: string | null | undefined,
  available: readonly string[],
): string | undefined {
  if (!acceptLanguage) return undefined;
  return new Negotiator({ headers: { "accept-language": acceptLanguage } }).language([...available]);
}
