// Dates are shown in UTC so every reader of a record sees the same date, in
// the reader's language: "10 August 2024" in English, "2024年8月10日" in Chinese.
// Pass the page's locale (next-intl's getLocale / useLocale); English by default.

/** The Intl locale for each interface language ("en" reads dates the British way: 10 August 2024). */
const INTL_LOCALE: Record<string, string> = { en: "en-GB", "zh-CN": "zh-CN" };

const formats = new Map<string, { date: Intl.DateTimeFormat; dateTime: Intl.DateTimeFormat }>();

function formatsFor(locale: string) {
  let found = formats.get(locale);
  if (!found) {
    const intl = INTL_LOCALE[locale] ?? locale;
    found = {
      date: new Intl.DateTimeFormat(intl, { dateStyle: "long", timeZone: "UTC" }),
      dateTime: new Intl.DateTimeFormat(intl, { dateStyle: "medium", timeStyle: "medium", timeZone: "UTC" }),
    };
    formats.set(locale, found);
  }
  return found;
}

export function formatDate(date: Date | null | undefined, locale = "en"): string {
  return date ? formatsFor(locale).date.format(date) : "—";
}

export function formatDateTime(date: Date | null | undefined, locale = "en"): string {
  return date ? `${formatsFor(locale).dateTime.format(date)} UTC` : "—";
}

/** yyyy-mm-dd, for <time dateTime> and machine-readable output. */
export function isoDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}
