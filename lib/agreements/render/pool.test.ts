import { afterAll, describe, expect, it } from "vitest";
import { generateCorpus } from "@/tests/fixtures/agreements/corpus";
import {
  checkContent,
  closeRenderPool,
  diffMarkdown,
  renderAndDiffMarkdown,
  renderAndDiffSeries,
  renderMarkdown,
} from "./pool";
import { checkMarkdownLimits, DEFAULT_RENDER_LIMITS } from "./limits";

afterAll(() => closeRenderPool());

// The inputs that froze or crashed the old renderer (issue 8), exactly as reported.
describe("pathological Markdown gets a clear error, never a frozen server", () => {
  const cases = [
    { name: '"- " x 10000', markdown: "- ".repeat(10_000), code: "too_deep" },
    { name: '"> " x 10000', markdown: "> ".repeat(10_000), code: "too_deep" },
    { name: '"[a](" x 40000', markdown: "[a](".repeat(40_000), code: "too_many_open_links" },
  ];
  for (const { name, markdown, code } of cases) {
    it(`refuses ${name} with ${code}, naming the line`, async () => {
      const result = await renderMarkdown(markdown);
      expect(result).toMatchObject({ ok: false, error: { code, line: 1 } });
      expect(result.ok || result.error.message).toMatch(/^Line 1 /);
    });
  }

  it("refuses them in a diff too, saying which side", async () => {
    const result = await diffMarkdown("Fine.", "> ".repeat(10_000));
    expect(result).toMatchObject({ ok: false, error: { code: "too_deep" } });
    expect(result.ok || result.error.message).toMatch(/^The new version: Line 1/);
  });

  it("stops a render that overruns its time limit and keeps working afterwards", async () => {
    const big = "Paragraph with **bold** and [a link](https://example.com).\n\n".repeat(2_000);
    const slow = await renderMarkdown(big, { limits: { timeoutMs: 1 } });
    expect(slow).toMatchObject({ ok: false, error: { code: "timeout" } });
    const after = await renderMarkdown("## Still here");
    expect(after).toMatchObject({ ok: true, value: { html: '<h2 id="sec-still-here">Still here</h2>' } });
    // A stopped render takes its worker thread with it; starting the next one (tsx
    // loading the renderer) can take seconds on a busy machine.
  }, 60_000);

  it("refuses more than the size limit before rendering", async () => {
    const result = await renderMarkdown("a".repeat(DEFAULT_RENDER_LIMITS.maxBytes + 1));
    expect(result).toMatchObject({ ok: false, error: { code: "too_large" } });
  });
});

describe("checkMarkdownLimits", () => {
  it("accepts ordinary nesting, links and parentheses", () => {
    const markdown = [
      "- a\n  - b\n    - c",
      "> quoted\n> > twice",
      "See [the policy](https://example.com/a_(b)) and [this](#x) (and that).",
      "1. one\n2. two",
    ].join("\n\n");
    expect(checkMarkdownLimits(markdown)).toBeNull();
  });

  it("counts containers on one line up to the limit exactly", () => {
    const limits = { ...DEFAULT_RENDER_LIMITS, maxNesting: 3 };
    expect(checkMarkdownLimits("- > 1. text", limits)).toBeNull();
    expect(checkMarkdownLimits("text\n- > 1. - text", limits)).toMatchObject({ code: "too_deep", line: 2 });
  });

  it("closes open links with later parentheses and forgets them at a blank line", () => {
    const limits = { ...DEFAULT_RENDER_LIMITS, maxOpenLinks: 2 };
    expect(checkMarkdownLimits("[a](x) [b](y) [c](z) [d](w)", limits)).toBeNull();
    expect(checkMarkdownLimits("[a]( [b](\n\n[c]( [d](", limits)).toBeNull();
    expect(checkMarkdownLimits("[a]( [b]( [c](", limits)).toMatchObject({ code: "too_many_open_links" });
  });
});

describe("one task for a version being published", () => {
  it("gives the same HTML and diff as rendering and diffing separately, from one parse", async () => {
    const [v1, v2, v3] = generateCorpus({ count: 3 }).map((v) => v.markdown) as [string, string, string];
    // In order, as publishing and the import go: the previous text was the last one rendered.
    const first = await renderAndDiffMarkdown(v1, null);
    const second = await renderAndDiffMarkdown(v2, v1, { deadlineMs: 60_000 });
    const third = await renderAndDiffMarkdown(v3, v2, { deadlineMs: 60_000 });
    const [render2, diff23] = await Promise.all([
      renderMarkdown(v2),
      diffMarkdown(v2, v3, { deadlineMs: 60_000 }),
    ]);
    if (!first.ok || !second.ok || !third.ok || !render2.ok || !diff23.ok) throw new Error("render failed");
    expect(first.value.diff).toBeNull();
    expect(second.value.rendered).toEqual(render2.value);
    expect(third.value.diff).toEqual(diff23.value);
    expect(third.value.diff?.wordsAdded).toBeGreaterThan(0);
  }, 60_000);

  it("a series (an import's stretch) gives what one task per version gives", async () => {
    const [v1, v2, v3] = generateCorpus({ count: 3 }).map((v) => v.markdown) as [string, string, string];
    const series = await renderAndDiffSeries([v2, v3], v1, { deadlineMs: 60_000 });
    const one = await renderAndDiffMarkdown(v3, v2, { deadlineMs: 60_000 });
    if (!series.ok || !one.ok) throw new Error("render failed");
    expect(series.value).toHaveLength(2);
    expect(series.value[1]).toEqual(one.value);
    expect(series.value[0]?.diff?.wordsAdded).toBeGreaterThan(0);
  }, 60_000);

  it("refuses a previous text past the limits, naming it", async () => {
    const result = await renderAndDiffMarkdown("# Fine", "> ".repeat(100));
    expect(result).toMatchObject({ ok: false, error: { code: "too_deep" } });
    expect(result.ok || result.error.message).toMatch(/^The old version: /);
  });
});

describe("content checks in the worker", () => {
  it("flags bidi controls with where they are, and the other warnings", async () => {
    const result = await checkContent("# T\n\nPay \u202eno\u202c fee. Ask {{ agent }}.", { bodySha256: "x" });
    if (!result.ok) throw new Error(result.error.message);
    expect(result.value.map((w) => w.kind)).toEqual(["bidi-control", "placeholder"]);
    expect(result.value[0]?.bidi).toEqual([
      { line: 3, column: 5, codePoint: "U+202E", name: "RIGHT-TO-LEFT OVERRIDE" },
      { line: 3, column: 8, codePoint: "U+202C", name: "POP DIRECTIONAL FORMATTING" },
    ]);
  });
});
