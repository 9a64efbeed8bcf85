import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { generateCorpus, largestPair, toImportFile } from "@/tests/fixtures/agreements/corpus";
import { diffAgreementSections } from "./diff";

const corpus = generateCorpus();
const sha = (text: string) => createHash("sha256").update(text).digest("hex");

describe("the corpus of large revisions (tests/fixtures/agreements)", () => {
  it("is the same bytes for the same seed, and 66 versions of 15–52 KB", () => {
    expect(generateCorpus().map((v) => sha(v.markdown))).toEqual(corpus.map((v) => sha(v.markdown)));
    expect(corpus).toHaveLength(66);
    for (const version of corpus) {
      expect(version.markdown.length).toBeGreaterThanOrEqual(15 * 1024);
      expect(version.markdown.length).toBeLessThanOrEqual(53 * 1024);
    }
    expect(corpus.map((v) => v.effective)).toEqual([...corpus.map((v) => v.effective)].sort());
  });

  it("has full rewrites, reordered sections, tables with <br>, and changed link targets", () => {
    const changes = new Set(corpus.map((v) => v.change));
    expect([...changes].sort()).toEqual(["edit", "first", "reorder", "rewrite"]);
    expect(corpus[0]!.markdown).toMatch(/\| [^|\n]*<br>[^|\n]* \|/);
    // Every third edit moves a link target (versions 3, 6, 9 ...); the diff reports it.
    for (const number of [3, 6, 9]) {
      const diff = diffAgreementSections(corpus[number - 2]!.markdown, corpus[number - 1]!.markdown);
      expect(diff.linkChanges.length).toBeGreaterThan(0);
      expect(diff.linkChanges.every((link) => link.from !== link.to)).toBe(true);
    }
  });

  it("writes import files with front matter", () => {
    expect(toImportFile(corpus[1]!)).toMatch(/^---\neffective: \d{4}-\d{2}-\d{2}\nlabel: "\d{4}-\d{2}"\n/);
  });

  it("diffs its largest pair (a full rewrite of ~50 KB) by section, headings kept as headings", () => {
    const [from, to] = largestPair(corpus);
    expect(to.change).toBe("rewrite");
    const diff = diffAgreementSections(from.markdown, to.markdown, { deadlineMs: 60_000 });
    expect(diff.sections.length).toBeGreaterThan(20);
    expect(diff.sections.every((s) => s.heading === null || /^h[123]$/.test(s.heading.kind))).toBe(true);
    expect(diff.wordsAdded).toBeGreaterThan(5_000);
  });
});
