import { describe, expect, it } from "vitest";
import { decideReconsent, type PromptVersion } from "./reconsent-rules";

const d = (iso: string) => new Date(iso);
const v = (number: number, effective: string, material: boolean): PromptVersion => ({
  id: `v${number}`,
  number,
  title: "User Privacy Agreement",
  bodySha256: String(number).repeat(64).slice(0, 64),
  changeSummary: material ? "Material" : null,
  material,
  effectiveAt: d(effective),
});
const v1 = v(1, "2024-08-10", true);
const v2 = v(2, "2026-04-01", true);
const v3 = v(3, "2026-05-01", false);
const subject = (accepted: number | null, acknowledged: number | null = null) => ({
  acceptedVersionNumber: accepted,
  acknowledgedVersionNumber: acknowledged,
});

describe("decideReconsent", () => {
  it("asks a user who never accepted to accept the version in effect", () => {
    expect(decideReconsent([v1], subject(null), d("2026-03-01"))).toMatchObject({
      kind: "required",
      version: { number: 1 },
      acceptedNumber: null,
    });
    expect(decideReconsent([v1], null, d("2026-03-01"))).toMatchObject({ kind: "required" });
  });

  it("before a material version takes effect: a banner, acceptance possible early", () => {
    expect(decideReconsent([v1, v2], subject(1), d("2026-03-25"))).toMatchObject({
      kind: "upcoming",
      version: { number: 2 },
      acceptedNumber: 1,
    });
  });

  it("once it takes effect: an explicit prompt, until accepted", () => {
    expect(decideReconsent([v1, v2], subject(1), d("2026-04-01"))).toMatchObject({
      kind: "required",
      version: { number: 2 },
    });
    expect(decideReconsent([v1, v2], subject(2), d("2026-04-01"))).toEqual({ kind: "none" });
  });

  it("accepting early settles it before and after the date", () => {
    expect(decideReconsent([v1, v2], subject(2), d("2026-03-25"))).toEqual({ kind: "none" });
  });

  it("a non-material revision is a dismissible notice, gone once acknowledged", () => {
    expect(decideReconsent([v1, v2, v3], subject(2), d("2026-04-10"))).toMatchObject({
      kind: "notice",
      version: { number: 3 },
    });
    expect(decideReconsent([v1, v2, v3], subject(2, 3), d("2026-04-10"))).toEqual({ kind: "none" });
  });

  it("a material version in effect outranks a later minor one: accept the version in effect", () => {
    expect(decideReconsent([v1, v2, v3], subject(1), d("2026-05-02"))).toMatchObject({
      kind: "required",
      version: { number: 3 },
    });
  });
});
