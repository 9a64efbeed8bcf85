import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { diffAgreementSections, diffAgreementText } from "./diff";

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

describe("diffAgreementSections", () => {
  const doc = (...sections: string[]) => sections.join("\n\n");
  const intro = "## Intro\n\nWe keep your data safe.";
  const storage = "## Storage\n\nWe store data in Singapore.\n\n- logs for 30 days\n- backups for 90 days";
  const contact = "## Contact\n\nWrite to [us](mailto:dpo@example.com).";

  it("keeps headings as headings, marks changed sections and leaves the others unchanged", () => {
    const diff = diffAgreementSections(
      doc(intro, storage, contact),
      doc(intro, storage.replace("90 days", "180 days"), contact),
    );
    expect(diff.sections.map((s) => [s.heading?.kind, s.changed])).toEqual([
      ["h2", false],
      ["h2", true],
      ["h2", false],
    ]);
    const changed = diff.sections[1]!.blocks.find((b) => b.op === "changed");
    expect(changed).toMatchObject({ kind: "li:ul" });
    expect(changed?.op === "changed" && changed.parts).toEqual([
      { kind: "same", text: "backups for " },
      { kind: "removed", text: "90" },
      { kind: "added", text: "180" },
      { kind: "same", text: " days" },
    ]);
    expect([diff.wordsAdded, diff.wordsRemoved]).toEqual([1, 1]);
    expect(diff.coarse).toBe(false);
  });

  it("shows a reordered section as removed where it was and added where it is", () => {
    const diff = diffAgreementSections(doc(intro, storage, contact), doc(intro, contact, storage));
    const ops = diff.sections.map((s) => [
      s.heading?.op,
      s.heading && "html" in s.heading ? s.heading.html : "",
    ]);
    expect(ops[0]).toEqual(["same", "<h2>Intro</h2>"]);
    const moved = ops.filter(([op]) => op !== "same");
    expect(moved.map(([op]) => op).sort()).toEqual(["added", "removed"]);
    expect(moved[0]![1]).toBe(moved[1]![1]);
    expect(diff.wordsAdded).toBe(diff.wordsRemoved);
  });

  it("reports a link whose target changed although its text did not", () => {
    const diff = diffAgreementSections(contact, contact.replace("dpo@example.com", "privacy@example.org"));
    expect(diff.linkChanges).toEqual([
      { text: "us", from: "mailto:dpo@example.com", to: "mailto:privacy@example.org" },
    ]);
    expect(diff.sections[0]!.changed).toBe(true);
  });

  it("diffs a changed table row cell by cell and keeps <br> in cells", () => {
    const table = (office: string) =>
      `| Office | Address |\n| --- | --- |\n| Beijing | ${office}<br>Haidian District |\n| Shanghai | 1 Road |`;
    const diff = diffAgreementSections(table("10 Main St"), table("12 Main St"));
    const rows = diff.sections[0]!.blocks;
    expect(rows.map((b) => [b.kind, b.op])).toEqual([
      ["tr:thead", "same"],
      ["tr:tbody", "changed"],
      ["tr:tbody", "same"],
    ]);
    const changed = rows[1]!;
    expect(changed.op === "changed" && changed.cells?.[1]).toEqual([
      { kind: "removed", text: "10" },
      { kind: "added", text: "12" },
      { kind: "same", text: " Main St\nHaidian District" },
    ]);
    expect(rows[2]).toMatchObject({ op: "same", html: "<tr>\n<td>Shanghai</td>\n<td>1 Road</td>\n</tr>" });
    const same = diffAgreementSections(table("10 Main St"), table("10 Main St")).sections[0]!.blocks[1]!;
    expect(same.op === "same" && same.html).toContain("10 Main St<br>");
  });

  it("falls back to whole blocks, still correct, when the word-level budget is spent", () => {
    const diff = diffAgreementSections(storage, storage.replace("Singapore", "Frankfurt"), {
      deadlineMs: -1,
    });
    expect(diff.coarse).toBe(true);
    const ops = diff.sections[0]!.blocks.map((b) => b.op);
    expect(ops).toEqual(["removed", "added", "same", "same"]);
  });

  it("carries no ids (old and new headings share one page) and no hostile markup", () => {
    const diff = diffAgreementSections(
      intro,
      `${intro}\n\n<script>alert(1)</script>\n\n[x](javascript:alert(2))`,
    );
    const json = JSON.stringify(diff);
    expect(json).not.toMatch(/ id=|<script|javascript:/);
  });
});
