// What the renderer will drop or show raw in a text about to be imported or
// published: template placeholders, link text whose reference is never
// defined, site-relative links with no base URL to resolve them against, text
// identical to the version before it, and Unicode bidi control characters
// (which can make the text display in another order than the one stored).
// Warnings, not errors: the text is still what the organisation published;
// publishing from the admin pages asks for confirmation of bidi controls.
// One home for these checks: the import CLI, and the admin's save, review and
// publish pages (through the render worker, lib/agreements/content-review.ts).
import type { Root } from "mdast";
import remarkGfm from "remark-gfm";
import remarkParse from "remark-parse";
import { unified } from "unified";
import { visit } from "unist-util-visit";
import { findBidiControls, type BidiControl } from "../render/bidi";

export type ContentWarningKind =
  "placeholder" | "unresolved-reference" | "relative-link" | "unchanged" | "bidi-control";

export interface ContentWarning {
  kind: ContentWarningKind;
  /** In English, for the CLI; pages word it from `kind`, `count` and `examples` (the catalogues). */
  message: string;
  /** How many were found (1 for "unchanged"). */
  count: number;
  /** The first few, as written in the text (for "bidi-control", see `bidi`). */
  examples: string[];
  /** "bidi-control": where the first few are. */
  bidi?: BidiControl[];
}

export interface ContentWarningOptions {
  /** Base URL for site-relative links (settings); without one they are flagged. */
  baseUrl?: string | undefined;
  /** SHA-256 of the previous version's text, to flag an unchanged text. */
  previousBodySha256?: string | null | undefined;
  bodySha256: string;
}

const parser = unified().use(remarkParse).use(remarkGfm);
const MAX_LISTED = 5;

const PLACEHOLDER = /\{\{[\s\S]{0,200}?\}\}|\{%[\s\S]{0,200}?%\}/g;
// [text][ref] or [text][]: full and collapsed references (CommonMark §6.3).
const REFERENCE = /(?<![\\!])\[([^\]\n]{1,200})\]\[([^\]\n]{0,200})\]/g;
const ABSOLUTE = /^[a-z][a-z0-9+.-]*:/i;

const normalise = (label: string) => label.trim().replace(/\s+/g, " ").toLowerCase();

function listed(items: readonly string[]): string {
  const shown = items.slice(0, MAX_LISTED).map((item) => `"${item}"`);
  return items.length > MAX_LISTED
    ? `${shown.join(", ")} and ${items.length - MAX_LISTED} more`
    : shown.join(", ");
}

/** The bidi control characters of a text as a warning, or null; cheap (one regex pass), no parsing. */
export function bidiWarning(text: string): ContentWarning | null {
  const found = findBidiControls(text);
  if (found.length === 0) return null;
  const first = found.slice(0, MAX_LISTED);
  const where = first.map((c) => `line ${c.line}, column ${c.column}: ${c.codePoint} ${c.name}`);
  return {
    kind: "bidi-control",
    message: `${found.length} Unicode bidirectional control character(s) can make the text display in an order other than the one stored: ${where.join("; ")}${found.length > MAX_LISTED ? ` and ${found.length - MAX_LISTED} more` : ""}.`,
    count: found.length,
    examples: first.map((c) => c.codePoint),
    bidi: first,
  };
}

export function contentWarnings(markdown: string, options: ContentWarningOptions): ContentWarning[] {
  const warnings: ContentWarning[] = [];
  const tree = parser.parse(markdown) as Root;

  const bidi = bidiWarning(markdown);
  if (bidi) warnings.push(bidi);

  const placeholders = [...new Set(markdown.match(PLACEHOLDER) ?? [])];
  if (placeholders.length > 0) {
    warnings.push({
      kind: "placeholder",
      message: `${placeholders.length} template placeholder(s) will be shown as written: ${listed(placeholders)}.`,
      count: placeholders.length,
      examples: placeholders.slice(0, MAX_LISTED),
    });
  }

  const definitions = new Set<string>();
  visit(tree, "definition", (node) => {
    definitions.add(normalise(node.label ?? node.identifier));
  });
  // A reference with no definition is not a link to the parser: it stays in text nodes.
  const unresolved = new Set<string>();
  visit(tree, "text", (node) => {
    for (const match of node.value.matchAll(REFERENCE)) {
      const label = normalise(match[2] || match[1] || "");
      if (label && !definitions.has(label)) unresolved.add(match[0]);
    }
  });
  if (unresolved.size > 0) {
    warnings.push({
      kind: "unresolved-reference",
      message: `${unresolved.size} link(s) refer to a reference that is never defined and will show as plain text: ${listed([...unresolved])}.`,
      count: unresolved.size,
      examples: [...unresolved].slice(0, MAX_LISTED),
    });
  }

  if (!options.baseUrl) {
    const relative = new Set<string>();
    visit(tree, ["link", "image", "definition"], (node) => {
      if (!("url" in node) || typeof node.url !== "string") return;
      const url = node.url.trim();
      if (url && !url.startsWith("#") && !url.startsWith("//") && !ABSOLUTE.test(url)) relative.add(url);
    });
    if (relative.size > 0) {
      warnings.push({
        kind: "relative-link",
        message: `${relative.size} relative link(s) have no base URL to resolve against (set AGREEMENT_BASE_URL or baseUrl in the organisation settings): ${listed([...relative])}.`,
        count: relative.size,
        examples: [...relative].slice(0, MAX_LISTED),
      });
    }
  }

  if (options.previousBodySha256 && options.previousBodySha256 === options.bodySha256) {
    warnings.push({
      kind: "unchanged",
      message: "The text is identical to the previous version's.",
      count: 1,
      examples: [],
    });
  }
  return warnings;
}
