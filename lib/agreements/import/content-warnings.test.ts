import { describe, expect, it } from "vitest";
import { contentWarnings } from "@/lib/agreements/import/content-warnings";
import { parseHistoryFile } from "@/lib/agreements/import/front-matter";

const kinds = (markdown: string, options: Partial<Parameters<typeof contentWarnings>[1]> = {}) =>
  contentWarnings(markdown, { bodySha256: "b", ...options }).map((w) => w.kind);

describe("content warnings", () => {
  it("flags template placeholders in both syntaxes", () => {
    const [warning] = contentWarnings("Hi {{ name }} and {% if x %}y{% endif %}.", { bodySha256: "b" });
    expect(warning?.kind).toBe("placeholder");
    expect(warning?.message).toContain('"{{ name }}"');
    expect(warning?.message).toContain('"{% if x %}"');
  });

  it("flags references that are never defined, not those that are", () => {
    expect(kinds("See [terms][t] and [faq][].\n\n[t]: https://example.com/t")).toEqual([
      "unresolved-reference",
    ]);
    expect(contentWarnings("See [faq][] here.", { bodySha256: "b" })[0]?.message).toContain('"[faq][]"');
    expect(kinds("See [terms][t].\n\n[T]: https://example.com/t")).toEqual([]);
  });

  it("flags site-relative links only without a base URL", () => {
    const text = "[a](/help) [b](help.html) ![c](img/x.png) [d](https://x.org) [e](#top) [f](mailto:a@b.c)";
    const [warning] = contentWarnings(text, { bodySha256: "b" });
    expect(warning?.kind).toBe("relative-link");
    expect(warning?.message).toContain('"/help", "help.html", "img/x.png"');
    expect(warning?.message).not.toContain("x.org");
    expect(kinds(text, { baseUrl: "https://example.com" })).toEqual([]);
  });

  it("flags a text identical to the previous version's", () => {
    expect(kinds("Same.", { previousBodySha256: "b" })).toEqual(["unchanged"]);
    expect(kinds("Same.", { previousBodySha256: "a" })).toEqual([]);
    expect(kinds("Same.", { previousBodySha256: null })).toEqual([]);
  });
});

describe("history file front matter", () => {
  it("reads dates as written, with defaults, and the text after the fence", () => {
    const parsed = parseHistoryFile("---\neffective: 2022-09-01\nlabel: 2022-09\n---\n\n# Text\n");
    expect(parsed).toEqual({
      ok: true,
      frontMatter: { effective: "2022-09-01", label: "2022-09", material: false },
      body: "# Text\n",
    });
  });

  it("names each bad field and refuses unknown ones", () => {
    const parsed = parseHistoryFile(
      "---\neffective: 2022-02-30\nmaterial: yes please\ncolour: red\n---\nText",
    );
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.errors.join("\n")).toContain("effective: Not a real calendar date.");
    expect(parsed.errors.join("\n")).toContain("material: material is true or false.");
    expect(parsed.errors.join("\n")).toMatch(/colour/);
  });

  it("refuses a file without front matter or without text", () => {
    expect(parseHistoryFile("# Just text").ok).toBe(false);
    expect(parseHistoryFile("---\neffective: 2022-09-01\n---\n\n").ok).toBe(false);
  });
});
