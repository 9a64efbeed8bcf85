import { describe, expect, it } from "vitest";
import { addPurposeSchema, draftEditSchema, publishSchema } from "./schemas";

const versionId = "00000000-0000-4000-8000-000000000000";

describe("admin input schemas", () => {
  it("store LF line breaks whatever the browser sent", () => {
    const draft = draftEditSchema.parse({ versionId, title: "T", bodyMarkdown: "a\r\n\r\nb\rc" });
    expect(draft.bodyMarkdown).toBe("a\n\nb\nc");
    const purpose = addPurposeSchema.parse({
      versionId,
      key: "voice",
      name: "Voice",
      description: " one\r\ntwo ",
    });
    expect(purpose.description).toBe("one\ntwo");
  });

  it("read HTML checkboxes: ticked is 'on', unticked is absent", () => {
    const base = { versionId, effectiveDate: "2030-01-01", lastUpdated: "2030-01-01" };
    expect(publishSchema.parse({ ...base, material: "on", reviewed: "on" })).toMatchObject({
      material: true,
      reviewed: true,
      changeSummary: "",
    });
    const missing = publishSchema.safeParse(base);
    expect(missing.success).toBe(false);
    expect(missing.error?.issues.map((i) => i.path.join("."))).toEqual(["reviewed"]);
  });

  it("refuse impossible dates and bad purpose keys", () => {
    const bad = publishSchema.safeParse({
      versionId,
      effectiveDate: "2030-02-30",
      lastUpdated: "yesterday",
      reviewed: "on",
    });
    expect(bad.error?.issues.map((i) => i.path.join("."))).toEqual(["effectiveDate", "lastUpdated"]);
    expect(
      addPurposeSchema.safeParse({ versionId, key: "Bad Key", name: "x", description: "y" }).success,
    ).toBe(false);
  });
});
