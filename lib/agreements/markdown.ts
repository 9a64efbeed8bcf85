// Renders agreement Markdown to sanitised HTML plus a table of contents.
// Pure on purpose (no "server-only"): unit tests and seed scripts import it.
import type { Element, ElementContent, Root, RootContent } from "hast";
import type { Root as MdastRoot, RootContent as MdastContent } from "mdast";
import rehypeSanitize, { defaultSchema, type Options as SanitizeSchema } from "rehype-sanitize";
import rehypeSlug from "rehype-slug";
import rehypeStringify from "rehype-stringify";
import remarkGfm from "remark-gfm";
import remarkParse from "remark-parse";
import remarkRehype from "remark-rehype";
import { unified } from "unified";
import { BIDI_CONTROL, codePointLabel } from "./render/bidi";

export type TocEntry = { id: string; text: string; depth: 2 | 3 };

/**
 * Every `id`/`name` in the output starts with this. Sanitize adds it (not rehype-slug) so it
 * also covers ids from any other source; a heading "config" becomes `id="sec-config"`, which is
 * not a valid JS identifier and so cannot shadow a global like `window.config`.
 */
export const ANCHOR_PREFIX = "sec-";

const schema: SanitizeSchema = {
  ...defaultSchema,
  clobberPrefix: ANCHOR_PREFIX,
  // GitHub's list minus irc/ircs/xmpp, plus tel: for the phone numbers agreements end with.
  protocols: { ...defaultSchema.protocols, href: ["http", "https", "mailto", "tel"] },
};

/**
 * Raw HTML is dropped, but agreements use `<br>` for line breaks in table
 * cells and addresses: turn exactly that tag into a Markdown hard break
 * before the HTML is discarded. Nothing else raw gets through.
 */
function keepLineBreaks(tree: MdastRoot): void {
  const visit = (node: MdastRoot | MdastContent): void => {
    if (!("children" in node)) return;
    const children = node.children as MdastContent[];
    for (let i = 0; i < children.length; i++) {
      const child = children[i];
      if (child?.type === "html" && /^<br\s*\/?>$/i.test(child.value.trim())) {
        children[i] = { type: "break", position: child.position };
      } else if (child) visit(child);
    }
  };
  visit(tree);
}

const processor = unified()
  .use(remarkParse)
  .use(remarkGfm)
  .use(() => keepLineBreaks)
  // Raw HTML is dropped here already (no allowDangerousHtml); sanitize below is the real guard.
  // No clobber prefix here: sanitize adds ANCHOR_PREFIX to ids, so we must not prefix twice.
  .use(remarkRehype, { clobberPrefix: "" })
  .use(rehypeSlug)
  .use(rehypeSanitize, schema)
  .use(() => prefixFragmentLinks)
  .use(rehypeStringify);

/**
 * Sanitize prefixes ids but not the `#fragment` links pointing at them (GitHub fixes those with
 * client JS). Rewrite them so footnotes and `[see §2](#2-how-we-store...)` links still land.
 */
function prefixFragmentLinks(tree: Root): void {
  for (const el of elements(tree)) {
    const href = el.properties.href;
    if (el.tagName === "a" && typeof href === "string" && href.startsWith("#") && href.length > 1) {
      el.properties.href = `#${ANCHOR_PREFIX}${href.slice(1)}`;
    }
  }
}

function* elements(node: Root | RootContent): Generator<Element> {
  if (node.type === "element") yield node;
  if ("children" in node) for (const child of node.children) yield* elements(child);
}

/** The sanitised HAST: what the HTML, the plain text and the diff are made from. */
export function toSafeTree(markdown: string): Root {
  return processor.runSync(processor.parse(markdown));
}

export interface RenderOptions {
  /** Show each Unicode bidi control character as a visible marker (the editor's preview). */
  markBidiControls?: boolean;
}

export function renderAgreementMarkdown(
  markdown: string,
  options: RenderOptions = {},
): { html: string; toc: TocEntry[] } {
  return renderSafeTree(toSafeTree(markdown), options);
}

/** HTML and contents of an already sanitised tree (toSafeTree), so one parse can serve the diff too. */
export function renderSafeTree(tree: Root, options: RenderOptions = {}): { html: string; toc: TocEntry[] } {
  if (options.markBidiControls) markBidi(tree);
  const toc: TocEntry[] = [];
  for (const el of elements(tree)) {
    const depth = el.tagName === "h2" ? 2 : el.tagName === "h3" ? 3 : undefined;
    const id = el.properties.id;
    // Skip the visually hidden "Footnotes" label GFM adds: it is not part of the document outline.
    const className = el.properties.className;
    const hidden = Array.isArray(className) && className.includes("sr-only");
    if (depth && typeof id === "string" && !hidden) {
      toc.push({ id, text: textOf(el).trim(), depth });
    }
  }
  return { html: processor.stringify(tree), toc };
}

/** One sanitised element as HTML (the diff keeps each block's own markup). */
export function blockHtml(element: Element): string {
  return processor.stringify({ type: "root", children: [element] });
}

/**
 * Runs after sanitising, so the markers are ours: `<mark class="bidi-control">U+202E</mark>`
 * in place of each (invisible) control character.
 */
function markBidi(node: Root | Element): void {
  const out: (RootContent | ElementContent)[] = [];
  for (const child of node.children) {
    if (child.type === "text" && new RegExp(BIDI_CONTROL.source).test(child.value)) {
      let last = 0;
      for (const match of child.value.matchAll(BIDI_CONTROL)) {
        const at = match.index ?? 0;
        if (at > last) out.push({ type: "text", value: child.value.slice(last, at) });
        const label = codePointLabel(match[0].codePointAt(0) ?? 0);
        out.push({
          type: "element",
          tagName: "mark",
          properties: { className: ["bidi-control"], title: `Bidirectional control character ${label}` },
          children: [{ type: "text", value: label }],
        });
        last = at + match[0].length;
      }
      if (last < child.value.length) out.push({ type: "text", value: child.value.slice(last) });
    } else {
      if (child.type === "element") markBidi(child);
      out.push(child);
    }
  }
  node.children = out as typeof node.children;
}

/** Visible text of the rendered agreement, one block per line (for search and word diffs). */
export function markdownToPlainText(markdown: string): string {
  return textOf(toSafeTree(markdown))
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean)
    .join("\n");
}

// Ending these with a newline keeps words of adjacent blocks apart ("Title" + "Body").
const BLOCKS = new Set([
  ...["p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "blockquote", "pre"],
  ...["table", "tr", "td", "th", "section", "div", "br", "hr"],
]);

export function textOf(node: Root | RootContent): string {
  if (node.type === "text") return node.value;
  if (!("children" in node)) return "";
  const inner = node.children.map(textOf).join("");
  return node.type === "element" && BLOCKS.has(node.tagName) ? `${inner}\n` : inner;
}
