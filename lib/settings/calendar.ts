// Calendar dates (YYYY-MM-DD) read in the organisation's time zone: an
// effective date of 2026-12-02 in Asia/Shanghai begins at 2026-12-01T16:00Z.
import { TZDate } from "@date-fns/tz";

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The instant a calendar day begins in the zone. */
export function startOfDate(date: string, timeZone: string): Date {
  const match = DATE.exec(date);
  if (!match) throw new Error(`Not a calendar date: ${date}`);
  const [, y, m, d] = match;
  return new Date(new TZDate(Number(y), Number(m) - 1, Number(d), timeZone).getTime());
}

/** The calendar date (YYYY-MM-DD) an instant falls on in the zone. */
export function dateIn(instant: Date, timeZone: string): string {
  const local = new TZDate(instant.getTime(), timeZone);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${local.getFullYear()}-${pad(local.getMonth() + 1)}-${pad(local.getDate())}`;
}

/** The calendar date `days` after `date`. */
export function addDays(date: string, days: number): string {
  const base = new Date(`${date}T00:00:00.000Z`);
  return new Date(base.getTime() + days * 86_400_000).toISOString().slice(0, 10);
}
