// The rules a version must meet to be published, as a pure function of the
// input, "now" and what is already published: the service and the tests use
// the same code, and every failure is a field error the admin can act on.
// Calendar dates are read in the organisation's time zone (AGREEMENT_TIMEZONE).
import type { FieldErrors } from "@/lib/result";
import { addDays, dateIn, startOfDate } from "@/lib/settings/calendar";
import { fieldMessage } from "@/lib/validation/messages";

export interface PublishRuleInput {
  effectiveDate: string;
  lastUpdated: string;
  changeSummary: string;
  material: boolean;
  /** A version of the past, added with its real date (today or earlier): notifies and asks nobody. */
  historical?: boolean;
}

export interface PublishContext {
  at: Date;
  noticePeriodDays: number;
  /** IANA zone the dates are read in (default UTC). */
  timeZone?: string;
  /** Effective date of the latest published version (scheduled or in effect). */
  latestEffectiveAt: Date | null;
  /** Why this revision must be material (materialPurposeReasons); empty or absent: it need not be. */
  materialReasons?: readonly string[];
}

const DAY_MS = 86_400_000;

/**
 * The first date a material version may take effect. With a notice period,
 * the first midnight (in the zone) at least that long away; with none, today:
 * it may take effect the moment it is published.
 */
export function earliestMaterialDate(at: Date, noticePeriodDays: number, timeZone = "UTC"): string {
  if (noticePeriodDays === 0) return dateIn(at, timeZone);
  const earliest = new Date(at.getTime() + noticePeriodDays * DAY_MS);
  const day = dateIn(earliest, timeZone);
  return startOfDate(day, timeZone).getTime() < earliest.getTime() ? addDays(day, 1) : day;
}

export type PublishRuleResult =
  { ok: true; effectiveAt: Date; lastUpdated: Date } | { ok: false; fieldErrors: FieldErrors };

export function checkPublishRules(input: PublishRuleInput, context: PublishContext): PublishRuleResult {
  const errors: FieldErrors = {};
  const add = (field: string, message: string) => (errors[field] ??= []).push(message);
  const zone = context.timeZone ?? "UTC";
  const today = dateIn(context.at, zone);
  const latestDay = context.latestEffectiveAt ? dateIn(context.latestEffectiveAt, zone) : null;

  if (input.historical) {
    if (input.effectiveDate > today) add("effectiveDate", fieldMessage("historicalInPast", { today }));
  } else if (input.effectiveDate < today) add("effectiveDate", fieldMessage("effectiveInPast", { today }));
  if (latestDay && input.effectiveDate < latestDay) {
    add("effectiveDate", fieldMessage("beforeLatest", { latest: latestDay }));
  }
  if (input.lastUpdated > input.effectiveDate) add("lastUpdated", fieldMessage("lastUpdatedAfterEffective"));
  if (input.historical) {
    // History is recorded as it was: no notice period, and nobody is asked again.
  } else if (input.material) {
    if (!input.changeSummary.trim()) add("changeSummary", fieldMessage("materialSummary"));
    const earliest = earliestMaterialDate(context.at, context.noticePeriodDays, zone);
    if (input.effectiveDate >= today && input.effectiveDate < earliest) {
      add("effectiveDate", fieldMessage("materialNotice", { days: context.noticePeriodDays, earliest }));
    }
  } else if (context.materialReasons && context.materialReasons.length > 0) {
    add("material", fieldMessage("mustBeMaterial", { reasons: context.materialReasons.join(" ") }));
  }
  if (Object.keys(errors).length > 0) return { ok: false, fieldErrors: errors };
  // "Effective today" means from the moment of publishing, not from a midnight already past.
  const start = startOfDate(input.effectiveDate, zone);
  const effectiveAt = start < context.at && !input.historical ? context.at : start;
  return { ok: true, effectiveAt, lastUpdated: new Date(`${input.lastUpdated}T00:00:00.000Z`) };
}
