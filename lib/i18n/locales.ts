// The interface languages. A locale here needs a full catalogue in
// lib/i18n/messages/<locale>/ (a test compares every catalogue with en/).
export const locales = ["en", "zh-CN"] as const;
export type Locale = (typeof locales)[number];
export const defaultLocale: Locale = "en";

/** Each language's name in itself, for the language switch. */
export const localeNames: Record<Locale, string> = { en: "English", "zh-CN": "简体中文" };

/** The cookie that remembers a visitor's choice (a signed-in user's is also in their profile). */
export const LOCALE_COOKIE = "locale";

export function isLocale(value: unknown): value is Locale {
  return locales.some((locale) => locale === value);
}

/** A language's name in the reader's language: "英语" for en read in zh-CN, "Chinese (China)" the other way. */
export function languageName(tag: string, readerLocale: string): string {
  try {
    // The texts are in Simplified Chinese: name the script, not the country.
    const display = tag === "zh-CN" ? "zh-Hans" : tag;
    return new Intl.DisplayNames([readerLocale], { type: "language" }).of(display) ?? tag;
  } catch {
    return tag;
  }
}
