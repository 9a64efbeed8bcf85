// The rules a version must meet to be published, as a pure function of the
// input, "now" and what is already published: the service and the tests use
// the same code, and every failure is a field error the admin can act on.
import type { FieldErrors } from "@/lib/result";

export interface PublishRuleInput {
  effectiveDate: string;
  lastUpdated: string;
  changeSummary: string;
  material: boolean;
}

export interface PublishContext {
  at: Date;
  noticePeriodDays: number;
  /** Effective date of the latest published version (scheduled or in effect). */
  latestEffectiveAt: Date | null;
}

const DAY_MS = 86_400_000;

export const startOfUtcDay = (date: Date) =>
  new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
const dateOnly = (value: string) => new Date(`${value}T00:00:00.000Z`);
const iso = (date: Date) => date.toISOString().slice(0, 10);

/** The first date a material version may take effect: midnight UTC at least the notice period away. */
export function earliestMaterialDate(at: Date, noticePeriodDays: number): string {
  const earliest = new Date(at.getTime() + noticePeriodDays * DAY_MS);
  const midnight = startOfUtcDay(earliest);
  return iso(midnight.getTime() < earliest.getTime() ? new Date(midnight.getTime() + DAY_MS) : midnight);
}

export type PublishRuleResult =
  { ok: true; effectiveAt: Date; lastUpdated: Date } | { ok: false; fieldErrors: FieldErrors };

export function checkPublishRules(input: PublishRuleInput, context: PublishContext): PublishRuleResult {
  const errors: FieldErrors = {};
  const add = (field: string, message: string) => (errors[field] ??= []).push(message);
  const today = iso(context.at);
  const effectiveDay = dateOnly(input.effectiveDate);
  const lastUpdated = dateOnly(input.lastUpdated);

  if (input.effectiveDate < today)
    add("effectiveDate", `The effective date cannot be in the past (today is ${today}).`);
  if (context.latestEffectiveAt && effectiveDay < startOfUtcDay(context.latestEffectiveAt)) {
    add(
      "effectiveDate",
      `A newer version cannot take effect before the latest published one (${iso(context.latestEffectiveAt)}).`,
    );
  }
  if (input.lastUpdated > input.effectiveDate)
    add("lastUpdated", "The last-updated date cannot be after the effective date.");
  if (input.material) {
    if (!input.changeSummary.trim())
      add("changeSummary", "A material change needs a summary of what changed.");
    const earliest = earliestMaterialDate(context.at, context.noticePeriodDays);
    if (input.effectiveDate < earliest) {
      add(
        "effectiveDate",
        `A material change needs at least ${context.noticePeriodDays} days' notice: choose ${earliest} or later.`,
      );
    }
  }
  if (Object.keys(errors).length > 0) return { ok: false, fieldErrors: errors };
  // "Effective today" means from the moment of publishing, not from a midnight already past.
  const effectiveAt = effectiveDay < context.at ? context.at : effectiveDay;
  return { ok: true, effectiveAt, lastUpdated };
}
