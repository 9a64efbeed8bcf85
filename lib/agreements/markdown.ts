// Renders agreement Markdown to sanitised HTML plus a table of contents.
// Pure on purpose (no "server-only"): unit tests and seed scripts import it.
import type { Element, Root, RootContent } from "hast";
import rehypeSanitize, { defaultSchema, type Options as SanitizeSchema } from "rehype-sanitize";
import rehypeSlug from "rehype-slug";
import rehypeStringify from "rehype-stringify";
import remarkGfm from "remark-gfm";
import remarkParse from "remark-parse";
import remarkRehype from "remark-rehype";
import { unified } from "unified";

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

const processor = unified()
  .use(remarkParse)
  .use(remarkGfm)
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

/** The sanitised HAST: what both the HTML and the plain text are made from. */
function toSafeTree(markdown: string): Root {
  return processor.runSync(processor.parse(markdown));
}

export function renderAgreementMarkdown(markdown: string): { html: string; toc: TocEntry[] } {
  const tree = toSafeTree(markdown);
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

function textOf(node: Root | RootContent): string {
  if (node.type === "text") return node.value;
  if (!("children" in node)) return "";
  const inner = node.children.map(textOf).join("");
  return node.type === "element" && BLOCKS.has(node.tagName) ? `${inner}\n` : inner;
}
