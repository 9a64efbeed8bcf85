import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { diffAgreementText } from "./diff";

const v1 = readFileSync(new URL("../../prisma/seed-data/agreement-v1.md", import.meta.url), "utf8");

describe("diffAgreementText", () => {
  it("marks word-level insertions and deletions in the customer's real agreement", () => {
    const revised = v1
      .replace("optimize our services", "optimize and extend our services")
      .replace("withdraw your consent", "revoke your consent");
    expect(revised).not.toBe(v1);
    const diff = diffAgreementText(v1, revised);
    const added = diff.parts.filter((p) => p.kind === "added").map((p) => p.text.trim());
    const removed = diff.parts.filter((p) => p.kind === "removed").map((p) => p.text.trim());
    expect(added).toEqual(expect.arrayContaining(["revoke"]));
    expect(added.join(" ")).toContain("extend");
    expect(removed).toEqual(["withdraw"]);
    expect(diff.wordsRemoved).toBe(1);
    // Unchanged text is kept whole: joining "same" and "added" parts gives the new text's words.
    const rebuilt = diff.parts
      .filter((p) => p.kind !== "removed")
      .map((p) => p.text)
      .join("");
    expect(rebuilt.split(/\s+/).filter(Boolean).length).toBeGreaterThan(1500);
  });

  it("reports nothing for identical text", () => {
    const diff = diffAgreementText(v1, v1);
    expect(diff.parts.every((p) => p.kind === "same")).toBe(true);
    expect(diff.wordsAdded + diff.wordsRemoved).toBe(0);
  });

  it("never carries hostile markup into the diff", () => {
    const hostile = `${v1}\n\n<script>alert(1)</script>\n\n<iframe src="https://evil"></iframe>\n\n[x](javascript:alert(2))`;
    const text = diffAgreementText(v1, hostile)
      .parts.map((p) => p.text)
      .join("");
    expect(text).not.toMatch(/<script|<iframe|javascript:/i);
  });
});
