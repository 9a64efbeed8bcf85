import { describe, expect, it } from "vitest";
import { keysNeedingFreshConsent, materialPurposeReasons, purposeChanges } from "./purpose-changes";

describe("purposeChanges", () => {
  it("lists added, changed and retired keys by notice hash", () => {
    const from = [
      { key: "service", noticeSha256: "a" },
      { key: "surveys", noticeSha256: "b" },
      { key: "location", noticeSha256: "c" },
    ];
    const to = [
      { key: "service", noticeSha256: "a" },
      { key: "surveys", noticeSha256: "B" },
      { key: "ads", noticeSha256: "d" },
    ];
    const changes = purposeChanges(from, to);
    expect(changes).toEqual({ added: ["ads"], changed: ["surveys"], retired: ["location"] });
    expect([...keysNeedingFreshConsent(changes)].sort()).toEqual(["ads", "surveys"]);
  });
});

describe("materialPurposeReasons", () => {
  const surveys = {
    key: "surveys",
    name: "Surveys",
    noticeSha256: "s1",
    basic: false,
    dpvTerm: "dpv:Feedback",
  };
  const service = { key: "service", name: "Service", noticeSha256: "v1", basic: true, dpvTerm: null };

  it("needs a material revision to add an optional purpose, not a basic one", () => {
    const ads = { key: "ads", name: "Ads", noticeSha256: "a1", basic: false, dpvTerm: null };
    const security = { key: "security", name: "Security", noticeSha256: "x1", basic: true, dpvTerm: null };
    expect(materialPurposeReasons([service], [service, ads])).toEqual([
      { key: "ads", reason: '"Ads" is a new optional purpose.' },
    ]);
    expect(materialPurposeReasons([service], [service, security])).toEqual([]);
  });

  it("needs a material revision to change a purpose's notice or DPV term", () => {
    expect(materialPurposeReasons([surveys], [{ ...surveys, noticeSha256: "s2" }])[0]?.reason).toBe(
      '"Surveys" changes its notice (name, description or basic flag).',
    );
    expect(materialPurposeReasons([surveys], [{ ...surveys, dpvTerm: "dpv:Marketing" }])[0]?.reason).toBe(
      '"Surveys" changes its DPV term (dpv:Feedback → dpv:Marketing).',
    );
  });

  it("allows a minor revision that retires a purpose or changes nothing", () => {
    expect(materialPurposeReasons([service, surveys], [service])).toEqual([]);
    expect(materialPurposeReasons([service, surveys], [service, surveys])).toEqual([]);
  });
});
