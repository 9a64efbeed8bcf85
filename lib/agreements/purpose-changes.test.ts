import { describe, expect, it } from "vitest";
import { keysNeedingFreshConsent, purposeChanges } from "./purpose-changes";

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
