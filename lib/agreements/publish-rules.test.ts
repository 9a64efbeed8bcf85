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
  });

  it("is today with no notice period: a material change may take effect when published", () => {
    expect(earliestMaterialDate(at, 0)).toBe("2026-03-10");
    const result = checkPublishRules(
      { ...base, material: true, changeSummary: "x", effectiveDate: "2026-03-10" },
      { ...context, noticePeriodDays: 0 },
    );
    expect(result.ok && result.effectiveAt).toEqual(at);
  });

  it("reads dates in the organisation's time zone", () => {
    // 15:30 UTC is 23:30 in Shanghai: seven days on is 2026-03-17 23:30 there.
    expect(earliestMaterialDate(at, 7, "Asia/Shanghai")).toBe("2026-03-18");
    const late = new Date("2026-03-10T17:00:00.000Z"); // 01:00 on 11 March in Shanghai
    expect(earliestMaterialDate(late, 0, "Asia/Shanghai")).toBe("2026-03-11");
  });
});

describe("checkPublishRules in a time zone", () => {
  const zone = { ...context, timeZone: "Asia/Shanghai", at: new Date("2026-03-10T17:00:00.000Z") };

  it("counts today in the zone and starts the day at its midnight there", () => {
    // Already 11 March in Shanghai: the 10th is in the past there.
    const past = checkPublishRules({ ...base, effectiveDate: "2026-03-10", lastUpdated: "2026-03-10" }, zone);
    expect(!past.ok && past.fieldErrors.effectiveDate?.[0]).toBe(
      "The effective date cannot be in the past (today is 2026-03-11).",
    );
    const later = checkPublishRules(base, zone);
    expect(later.ok && later.effectiveAt).toEqual(new Date("2026-03-19T16:00:00.000Z"));
  });
});

describe("revisions that widen a purpose", () => {
  const reasons = ['"Surveys" changes its notice (name, description or basic flag).'];

  it("cannot be published as minor, and the admin is told why", () => {
    const result = checkPublishRules(base, { ...context, materialReasons: reasons });
    expect(!result.ok && result.fieldErrors.material?.[0]).toBe(
      'This revision widens what is collected or how it is used, so it must be published as material: "Surveys" changes its notice (name, description or basic flag).',
    );
  });

  it("can be published as material", () => {
    const result = checkPublishRules(
      { ...base, material: true, changeSummary: "Surveys now shared." },
      { ...context, materialReasons: reasons },
    );
    expect(result.ok).toBe(true);
  });
});

describe("historical versions", () => {
  const historical = { ...base, historical: true, effectiveDate: "2019-05-01", lastUpdated: "2019-04-20" };

  it("take their real past date, from its midnight, with no notice period, even when material", () => {
    const result = checkPublishRules(
      { ...historical, material: true },
      { ...context, latestEffectiveAt: null },
    );
    expect(result).toEqual({
      ok: true,
      effectiveAt: new Date("2019-05-01T00:00:00.000Z"),
      lastUpdated: new Date("2019-04-20T00:00:00.000Z"),
    });
  });

  it("cannot be dated in the future or before the latest published version", () => {
    const future = checkPublishRules({ ...historical, effectiveDate: "2026-03-11" }, context);
    expect(!future.ok && future.fieldErrors.effectiveDate?.[0]).toBe(
      "A historical version took effect in the past: choose 2026-03-10 or earlier.",
    );
    const early = checkPublishRules(historical, context);
    expect(!early.ok && early.fieldErrors.effectiveDate?.[0]).toMatch(/before the latest published one/);
  });
});
