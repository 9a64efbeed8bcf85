import { describe, it, expect } from "vitest";
import { ANCHOR_PREFIX, markdownToPlainText, renderAgreementMarkdown } from "./markdown";

/** ids of h2/h3 elements as they appear in the HTML, in document order. */
function headingIds(html: string): string[] {
  return [...html.matchAll(/<h[23][^>]*\sid="([^"]*)"/g)].map((m) => m[1] ?? "");
}

describe("renderAgreementMarkdown: hostile input", () => {
  const hostile: Record<string, string> = {
    script: "<script>alert(1)</script>",
    "img onerror": "Text <img src=x onerror=alert(1)> more",
    "javascript: link": "[x](javascript:alert(1))",
    "JAVASCRIPT: link, upper case": "[x](JAVASCRIPT:alert(1))",
    "data: link": "[x](data:text/html,<script>alert(1)</script>)",
    iframe: '<iframe src="https://evil"></iframe>',
    "iframe, unclosed": '<iframe src="https://evil">',
    "onclick on raw anchor": '<a href="#" onclick="alert(1)">a</a>',
    "raw style": "<style>body { background: url(javascript:alert(1)) }</style>",
    "style attribute": '<p style="position:fixed">x</p>',
  };

  for (const [name, markdown] of Object.entries(hostile)) {
    it(`drops ${name}`, () => {
      const { html } = renderAgreementMarkdown(`Intro\n\n${markdown}\n\nOutro`);
      expect(html).not.toMatch(/<script|<iframe|<style|<img/i);
      expect(html).not.toMatch(/\son[a-z]+=|\sstyle=/i);
      expect(html).not.toMatch(/javascript:|data:/i);
      expect(html).not.toContain("alert");
      expect(html).toContain("Intro");
      expect(html).toContain("Outro");
    });
  }

  it("keeps the link text but drops a forbidden href", () => {
    expect(renderAgreementMarkdown("[x](javascript:alert(1))").html).toBe("<p><a>x</a></p>");
  });

  it("allows only http, https, mailto and tel hrefs", () => {
    const { html } = renderAgreementMarkdown(
      "[a](https://a.example) [b](http://b.example) [c](mailto:c@example.com) [d](tel:4006121986) [e](irc://e.example) [f](xmpp:f@example.com) [g](ftp://g.example)",
    );
    expect(html).toContain('<a href="https://a.example">a</a>');
    expect(html).toContain('<a href="http://b.example">b</a>');
    expect(html).toContain('<a href="mailto:c@example.com">c</a>');
    expect(html).toContain('<a href="tel:4006121986">d</a>');
    expect(html).toContain("<a>e</a> <a>f</a> <a>g</a>");
  });
});

describe("renderAgreementMarkdown: headings and TOC", () => {
  const doc = [
    "# Title",
    "## 1. What We Collect",
    "### 1.1 When you register an account:",
    "Body text.",
    "## 2. How We Store",
    "## 2. How We Store",
    "#### Too deep for the TOC",
  ].join("\n\n");

  it("gives every heading a prefixed slug id", () => {
    const { html } = renderAgreementMarkdown(doc);
    expect(html).toContain(`<h1 id="${ANCHOR_PREFIX}title">Title</h1>`);
    expect(html).toContain(`<h2 id="${ANCHOR_PREFIX}1-what-we-collect">1. What We Collect</h2>`);
    expect(html).toContain(`<h3 id="${ANCHOR_PREFIX}11-when-you-register-an-account">`);
    expect(html).toContain(`<h4 id="${ANCHOR_PREFIX}too-deep-for-the-toc">`);
  });

  it("lists h2 and h3 with exactly the ids the HTML has, duplicates disambiguated", () => {
    const { html, toc } = renderAgreementMarkdown(doc);
    expect(toc).toEqual([
      { id: "sec-1-what-we-collect", text: "1. What We Collect", depth: 2 },
      { id: "sec-11-when-you-register-an-account", text: "1.1 When you register an account:", depth: 3 },
      { id: "sec-2-how-we-store", text: "2. How We Store", depth: 2 },
      { id: "sec-2-how-we-store-1", text: "2. How We Store", depth: 2 },
    ]);
    expect(toc.map((entry) => entry.id)).toEqual(headingIds(html));
  });

  it("is deterministic across calls (the slugger is reset per render)", () => {
    expect(renderAgreementMarkdown(doc)).toEqual(renderAgreementMarkdown(doc));
  });

  it("prefixes ids so headings cannot clobber DOM globals", () => {
    const { html, toc } = renderAgreementMarkdown("## config\n\n## getElementById\n\n## location");
    expect(headingIds(html)).toEqual(["sec-config", "sec-getelementbyid", "sec-location"]);
    expect(toc.map((entry) => entry.id)).toEqual(headingIds(html));
    for (const [, id] of html.matchAll(/\sid="([^"]*)"/g)) expect(id).toMatch(/^sec-/);
  });

  it("keeps in-page links and footnotes pointing at the prefixed ids", () => {
    const { html, toc } = renderAgreementMarkdown(
      "## Contact Us\n\nSee [contact](#contact-us).[^1]\n\n[^1]: Note.",
    );
    expect(html).toContain('<a href="#sec-contact-us">contact</a>');
    expect(html).toContain('href="#sec-fn-1"');
    expect(html).toContain('id="sec-fn-1"');
    // The hidden "Footnotes" label is not part of the outline.
    expect(toc).toEqual([{ id: "sec-contact-us", text: "Contact Us", depth: 2 }]);
  });
});

describe("renderAgreementMarkdown: links", () => {
  it("keeps mailto and tel links", () => {
    const { html } = renderAgreementMarkdown(
      "Contact us at [support@easemob.com](mailto:support@easemob.com) or [400-612-1986](tel:4006121986).",
    );
    expect(html).toBe(
      '<p>Contact us at <a href="mailto:support@easemob.com">support@easemob.com</a> or <a href="tel:4006121986">400-612-1986</a>.</p>',
    );
  });
});

describe("markdownToPlainText", () => {
  it("returns the visible text, one block per line, without markup", () => {
    const markdown =
      "## 1. Title\n\n**3.1** We strive.\n\n- **a.** Item one\n- Item two\n\n[mail](mailto:a@example.com)";
    expect(markdownToPlainText(markdown)).toBe("1. Title\n3.1 We strive.\na. Item one\nItem two\nmail");
  });

  it("contains none of the dropped raw HTML blocks", () => {
    expect(markdownToPlainText("Hi\n\n<script>alert(1)</script>\n\n<style>x{}</style>")).toBe("Hi");
  });

  it("keeps text between inline raw tags as inert text (only the tags are dropped)", () => {
    const markdown = "Hi <script>alert(1)</script>";
    expect(markdownToPlainText(markdown)).toBe("Hi alert(1)");
    expect(renderAgreementMarkdown(markdown).html).toBe("<p>Hi alert(1)</p>");
  });
});
