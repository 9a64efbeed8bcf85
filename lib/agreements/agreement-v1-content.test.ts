import { existsSync, readFileSync } from "node:fs";
import { describe, it, expect } from "vitest";
import { markdownToPlainText, renderAgreementMarkdown } from "./markdown";

// The seed content must say exactly what the customer's text says: same words, same order.
const seedDir = new URL("../../prisma/seed-data/", import.meta.url);
const markdown = readFileSync(new URL("agreement-v1.md", seedDir), "utf8");
const meta = JSON.parse(readFileSync(new URL("agreement-v1.json", seedDir), "utf8")) as {
  title: string;
  effectiveDate: string;
  lastUpdated: string;
  source: string;
};

// The customer's original: a copy next to the seed data if one is committed, else the shared drop.
const sourceCandidates = [new URL(meta.source, seedDir).pathname, `/work/shared/agreement/${meta.source}`];
const sourcePath = sourceCandidates.find((path) => existsSync(path));
if (!sourcePath) throw new Error(`Source agreement not found; looked in ${sourceCandidates.join(", ")}`);
const sourceLines = readFileSync(sourcePath, "utf8").split(/\r?\n/);

const words = (text: string) => text.split(/\s+/).filter(Boolean);

describe("agreement v1 seed content", () => {
  it("keeps title and dates out of the body, in the JSON metadata instead", () => {
    expect(sourceLines.slice(0, 3)).toEqual([
      meta.title,
      "Effective Date: August 10, 2024",
      "Last Updated: August 1, 2024",
    ]);
    expect(meta).toMatchObject({ effectiveDate: "2024-08-10", lastUpdated: "2024-08-01" });
    expect(markdown).not.toContain(meta.title);
    expect(markdown).not.toMatch(/Effective Date|Last Updated/);
  });

  it("keeps every word of the source, in order", () => {
    // The "•" bullet glyphs become Markdown list items; that is the only change to the text.
    const expected = words(
      sourceLines
        .slice(3)
        .map((line) => line.replace(/^• /, ""))
        .join("\n"),
    );
    const actual = words(markdownToPlainText(markdown));
    expect(actual).toEqual(expected);
  });

  it("has exactly the 8 numbered sections as h2, each in the TOC with the HTML's id", () => {
    const { html, toc } = renderAgreementMarkdown(markdown);
    const h2 = [...html.matchAll(/<h2 id="([^"]+)">([^<]*)<\/h2>/g)];
    expect(h2).toHaveLength(8);
    expect((html.match(/<h2[\s>]/g) ?? []).length).toBe(8);
    h2.forEach(([, id, text], index) => {
      expect(text).toMatch(new RegExp(`^${index + 1}\\. `));
      expect(toc).toContainEqual({ id, text, depth: 2 });
    });
    expect(toc.filter((entry) => entry.depth === 2)).toHaveLength(8);
  });

  it("has the titled sub-sections as h3 and the numbered paragraphs as bold items", () => {
    const { html, toc } = renderAgreementMarkdown(markdown);
    expect(toc.filter((entry) => entry.depth === 3).map((entry) => entry.text.split(" ")[0])).toEqual([
      "1.1",
      "1.2",
      "1.3",
      "1.4",
      "1.5",
      "2.1",
      "2.2",
    ]);
    for (const n of ["3.1", "3.5", "5.1", "5.4", "6.1", "6.6"]) {
      expect(html).toContain(`<p><strong>${n}</strong> `);
    }
    for (const letter of ["a", "b", "c", "d", "e"]) {
      expect(html).toContain(`<li><strong>${letter}.</strong> `);
    }
  });

  it("links the contact email and phone number", () => {
    const { html } = renderAgreementMarkdown(markdown);
    expect(html).toContain('<a href="mailto:support@easemob.com">support@easemob.com</a>');
    expect(html).toContain('<a href="tel:4006121986">400-612-1986</a>');
  });
});
