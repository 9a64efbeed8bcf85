// The status rules of one request: what subjects share (the version in
// effect, the re-consent decision, the purposes) is worked out once per
// distinct accepted/acknowledged pair, and each subject still gets its own.
import { describe, expect, it } from "vitest";
import { buildSubjectStatus, readCatalog, statusBuilder, type SubjectHead } from "./status-rules";

const sha = (c: string) => c.repeat(64);
const catalog = readCatalog([
  {
    id: "v1",
    number: 1,
    title: "One",
    material: false,
    effectiveAt: "2026-01-01T00:00:00.000Z",
    purposes: [
      { key: "service", basic: true, noticeSha256: sha("a"), translationNotices: null },
      { key: "surveys", basic: false, noticeSha256: sha("b"), translationNotices: [sha("c")] },
    ],
  },
  {
    id: "v2",
    number: 2,
    title: "Two",
    material: true,
    effectiveAt: "2026-06-01T00:00:00.000Z",
    purposes: [
      { key: "service", basic: true, noticeSha256: sha("a"), translationNotices: null },
      { key: "surveys", basic: false, noticeSha256: sha("d"), translationNotices: null },
    ],
  },
]);
const at = new Date("2026-07-01T00:00:00.000Z");
const state = (noticeSha256: string) => ({
  key: "surveys",
  granted: true,
  noticeSha256,
  method: "APP" as const,
  updatedAt: "2026-06-02T10:00:00.000Z",
});
const heads: SubjectHead[] = [
  {
    seq: null,
    acceptedVersionNumber: null,
    acceptedAt: null,
    acknowledgedVersionNumber: null,
    states: null,
    closedAt: null,
  },
  {
    seq: 3,
    acceptedVersionNumber: 2,
    acceptedAt: "2026-06-02T09:00:00.000Z",
    acknowledgedVersionNumber: null,
    states: [state(sha("d"))],
    closedAt: null,
  },
  {
    seq: 5,
    acceptedVersionNumber: 2,
    acceptedAt: new Date("2026-06-03T09:00:00.000Z"),
    acknowledgedVersionNumber: null,
    states: [state(sha("b"))],
    closedAt: null,
  },
  {
    seq: 2,
    acceptedVersionNumber: 1,
    acceptedAt: "2026-02-01T00:00:00.000Z",
    acknowledgedVersionNumber: null,
    states: [],
    closedAt: null,
  },
];

describe("statusBuilder", () => {
  it("answers each subject as a build of its own would, sharing only what subjects share", () => {
    const build = statusBuilder(catalog, at);
    const batch = heads.map((head, i) => build(`s${i}`, head));
    expect(batch).toEqual(heads.map((head, i) => buildSubjectStatus(`s${i}`, catalog, head, at)));
    expect(batch.map((s) => [s.known, s.agreement.reconsent, s.purposes[1]?.consent])).toEqual([
      [false, "required", "not-granted"],
      [true, "none", "granted"],
      [true, "none", "needs-fresh-consent"],
      [true, "required", "not-granted"],
    ]);
    expect(batch[1]!.agreement.acceptedAt).toBe("2026-06-02T09:00:00.000Z");
    expect(batch[2]!.agreement.acceptedAt).toBe("2026-06-03T09:00:00.000Z");
    expect(batch[1]!.purposes[1]!.updatedAt).toBe("2026-06-02T10:00:00.000Z");
    // Answers do not share objects a caller could change for another subject.
    expect(batch[1]!.agreement).not.toBe(batch[2]!.agreement);
  });

  it("answers a closed account's subject with nothing to process, basic purposes included", () => {
    const open = heads[1]!;
    const closed = buildSubjectStatus("s", catalog, { ...open, closedAt: "2026-06-20T08:00:00.000Z" }, at);
    expect(closed.closedAt).toBe("2026-06-20T08:00:00.000Z");
    expect(closed.purposes.length).toBeGreaterThan(1);
    expect(closed.purposes.every((p) => p.consent === "account-closed" && !p.granted)).toBe(true);
    // The record itself is unchanged: what was accepted stays stated.
    expect(closed.agreement.acceptedVersion).toBe(2);
    expect(buildSubjectStatus("s", catalog, open, at).closedAt).toBeNull();
  });
});
