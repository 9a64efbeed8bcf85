import { describe, expect, it } from "vitest";
import { findInEffect, withStates } from "./version-state";

const d = (iso: string) => new Date(iso);
const versions = [
  { id: "draft", number: null, publishedAt: null, effectiveAt: null },
  { id: "v1", number: 1, publishedAt: d("2024-08-01"), effectiveAt: d("2024-08-10") },
  { id: "v2", number: 2, publishedAt: d("2026-01-01"), effectiveAt: d("2026-01-10") },
  { id: "v3", number: 3, publishedAt: d("2026-03-01"), effectiveAt: d("2026-03-20") },
];

describe("version states follow from dates and the clock", () => {
  it("derives draft, superseded, in effect and scheduled", () => {
    const states = withStates(versions, d("2026-03-10")).map((v) => [v.id, v.state]);
    expect(states).toEqual([
      ["draft", "draft"],
      ["v1", "superseded"],
      ["v2", "in-effect"],
      ["v3", "scheduled"],
    ]);
  });

  it("a scheduled version takes effect when its date comes, with nothing run", () => {
    expect(findInEffect(versions, d("2026-03-19T23:59:59.999Z"))?.id).toBe("v2");
    expect(findInEffect(versions, d("2026-03-20T00:00:00.000Z"))?.id).toBe("v3");
    expect(withStates(versions, d("2026-03-20")).find((v) => v.id === "v2")?.state).toBe("superseded");
  });

  it("nothing is in effect before the first effective date", () => {
    expect(findInEffect(versions, d("2024-08-09"))).toBeNull();
  });
});
