// Dates are shown in UTC so every reader of a record sees the same date, in
// the reader's language: "10 August 2024" in English, "2024年8月10日" in Chinese.
// Pass the page's locale (next-intl's getLocale / useLocale); English by default.
// The agreement's effective dates are the exception: they are read in the
// organisation's time zone (AGREEMENT_TIMEZONE, docs/versions.md), so pages pass
// `getSettings().timeZone` for them, and `isoDate` with the same zone.
import { dateIn } from "@/lib/settings/calendar";

/** The Intl locale for each interface language ("en" reads dates the British way: 10 August 2024). */
const INTL_LOCALE: Record<string, string> = { en: "en-GB", "zh-CN": "zh-CN" };

const formats = new Map<string, { date: Intl.DateTimeFormat; dateTime: Intl.DateTimeFormat }>();

function formatsFor(locale: string, timeZone = "UTC") {
  const key = `${locale} ${timeZone}`;
  let found = formats.get(key);
  if (!found) {
    const intl = INTL_LOCALE[locale] ?? locale;
    found = {
      date: new Intl.DateTimeFormat(intl, { dateStyle: "long", timeZone }),
      dateTime: new Intl.DateTimeFormat(intl, { dateStyle: "medium", timeStyle: "medium", timeZone }),
    };
    formats.set(key, found);
  }
  return found;
}

/** The calendar date of an instant, in UTC unless a time zone is given. */
export function formatDate(date: Date | null | undefined, locale = "en", timeZone = "UTC"): string {
  return date ? formatsFor(locale, timeZone).date.format(date) : "—";
}

export function formatDateTime(date: Date | null | undefined, locale = "en"): string {
  return date ? `${formatsFor(locale).dateTime.format(date)} UTC` : "—";
}

/** yyyy-mm-dd, for <time dateTime> and machine-readable output; in UTC unless a time zone is given. */
export function isoDate(date: Date, timeZone = "UTC"): string {
  return timeZone === "UTC" ? date.toISOString().slice(0, 10) : dateIn(date, timeZone);
}
