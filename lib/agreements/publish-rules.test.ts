import { describe, expect, it } from "vitest";
import { checkPublishRules, earliestMaterialDate } from "./publish-rules";

const at = new Date("2026-03-10T15:30:00.000Z");
const context = { at, noticePeriodDays: 7, latestEffectiveAt: new Date("2024-08-10T00:00:00.000Z") };
const base = { effectiveDate: "2026-03-20", lastUpdated: "2026-03-10", changeSummary: "", material: false };

describe("checkPublishRules", () => {
  it("accepts a non-material version effective later, with its midnight as the effective instant", () => {
    const result = checkPublishRules(base, context);
    expect(result).toEqual({
      ok: true,
      effectiveAt: new Date("2026-03-20T00:00:00.000Z"),
      lastUpdated: new Date("2026-03-10T00:00:00.000Z"),
    });
  });

  it("treats 'effective today' as effective from the moment of publishing", () => {
    const result = checkPublishRules({ ...base, effectiveDate: "2026-03-10" }, context);
    expect(result.ok && result.effectiveAt).toEqual(at);
  });

  it("rejects an effective date in the past", () => {
    const result = checkPublishRules(
      { ...base, effectiveDate: "2026-03-09", lastUpdated: "2026-03-01" },
      context,
    );
    expect(result.ok).toBe(false);
    expect(!result.ok && result.fieldErrors.effectiveDate?.[0]).toMatch(/cannot be in the past/);
  });

  it("rejects a material version without a summary", () => {
    const result = checkPublishRules({ ...base, material: true, changeSummary: "  " }, context);
    expect(!result.ok && result.fieldErrors.changeSummary?.[0]).toMatch(/needs a summary/);
  });

  it("rejects a material version inside the notice period and names the earliest date", () => {
    const result = checkPublishRules(
      { ...base, material: true, changeSummary: "x", effectiveDate: "2026-03-17" },
      context,
    );
    expect(!result.ok && result.fieldErrors.effectiveDate?.[0]).toBe(
      "A material change needs at least 7 days' notice: choose 2026-03-18 or later.",
    );
    expect(
      checkPublishRules({ ...base, material: true, changeSummary: "x", effectiveDate: "2026-03-18" }, context)
        .ok,
    ).toBe(true);
  });

  it("honours a configured notice period", () => {
    const ctx = { ...context, noticePeriodDays: 30 };
    expect(
      checkPublishRules({ ...base, material: true, changeSummary: "x", effectiveDate: "2026-04-09" }, ctx).ok,
    ).toBe(false);
    expect(
      checkPublishRules({ ...base, material: true, changeSummary: "x", effectiveDate: "2026-04-10" }, ctx).ok,
    ).toBe(true);
  });

  it("rejects a version taking effect before the latest published one", () => {
    const ctx = { ...context, latestEffectiveAt: new Date("2026-03-25T00:00:00.000Z") };
    const result = checkPublishRules(base, ctx);
    expect(!result.ok && result.fieldErrors.effectiveDate?.[0]).toMatch(
      /before the latest published one \(2026-03-25\)/,
    );
  });

  it("rejects a last-updated date after the effective date", () => {
    const result = checkPublishRules({ ...base, lastUpdated: "2026-03-21" }, context);
    expect(!result.ok && result.fieldErrors.lastUpdated?.[0]).toMatch(/cannot be after/);
  });
});

describe("earliestMaterialDate", () => {
  it("is the first midnight at least the notice period away", () => {
    expect(earliestMaterialDate(at, 7)).toBe("2026-03-18");
    expect(earliestMaterialDate(new Date("2026-03-10T00:00:00.000Z"), 7)).toBe("2026-03-17");
    expect(earliestMaterialDate(at, 0)).toBe("2026-03-11");
  });
});
