// Diffs of two agreement versions, on what a reader sees (the sanitised
// rendering), so Markdown syntax changes that alter nothing visible are not
// reported and hostile markup never reaches the diff.
//
// diffAgreementSections is bounded: it compares blocks (paragraphs, headings,
// list items, table rows) first, which is cheap even for a full rewrite, and
// compares words only inside a pair of blocks that changed, each with a time
// limit and under one deadline for the whole diff. Past the deadline, changed
// blocks are shown as removed-then-added instead of word by word. It runs in
// the render worker (lib/agreements/render/pool.ts), never on a request thread.
import { diffArrays, diffWords } from "diff";
import type { Element, Root, RootContent } from "hast";
import { blockHtml, markdownToPlainText, textOf, toSafeTree } from "./markdown";

export type DiffPart = { kind: "same" | "added" | "removed"; text: string };

export interface AgreementDiff {
  parts: DiffPart[];
  wordsAdded: number;
  wordsRemoved: number;
}

const countWords = (text: string) => text.split(/\s+/).filter(Boolean).length;

/** Word diff of the whole text: for short texts only (the draft editor's summary). */
export function diffAgreementText(fromMarkdown: string, toMarkdown: string): AgreementDiff {
  const changes = diffWords(markdownToPlainText(fromMarkdown), markdownToPlainText(toMarkdown));
  const parts = mergeParts(changes);
  return { parts, wordsAdded: wordsOf(parts, "added"), wordsRemoved: wordsOf(parts, "removed") };
}

// ---------------------------------------------------------------------------
// Section diff

/** Bumped whenever the stored format or the algorithm changes: stored diffs of another version are recomputed. */
export const SECTION_DIFF_FORMAT = 3;

/**
 * What a block is, for pairing and display: "h2", "p", "li:ul", "li:ol",
 * "tr:thead", "tr:tbody", "blockquote", "pre", "hr", ...
 */
export type BlockKind = string;

export interface LinkChange {
  text: string;
  from: string | null;
  to: string | null;
}

/** A block as stored: whole blocks keep their sanitised HTML, changed ones only their word diff. */
export type DiffBlock =
  | { op: "same" | "added" | "removed"; kind: BlockKind; html: string }
  | {
      op: "changed";
      kind: BlockKind;
      /** Word diff of the block's text; for a table row, of each cell. */
      parts: DiffPart[];
      cells?: DiffPart[][];
      links: LinkChange[];
    };

/** While diffing, each block also carries its text (for word counts and section titles). */
type WorkingBlock = DiffBlock & { text: string };

export interface DiffSection {
  /** The heading that opens the section (h1–h3), absent for text before the first one. */
  heading: DiffBlock | null;
  /** The heading's text (as in the newer version), "" before the first heading. */
  title: string;
  blocks: DiffBlock[];
  changed: boolean;
}

export interface SectionDiff {
  format: typeof SECTION_DIFF_FORMAT;
  sections: DiffSection[];
  linkChanges: LinkChange[];
  wordsAdded: number;
  wordsRemoved: number;
  /** True when the deadline cut word-level comparison short (changed blocks shown whole). */
  coarse: boolean;
}

export interface SectionDiffOptions {
  /** Whole-diff budget in ms for word-level comparison (default 800). */
  deadlineMs?: number;
  /** Clock, for tests. */
  now?: () => number;
}

interface Block {
  kind: BlockKind;
  html: string;
  text: string;
  key: string;
  links: { text: string; href: string | null }[];
  cells: string[] | null;
}

const SECTION_HEADINGS = new Set(["h1", "h2", "h3"]);
/** How far ahead a removed block looks for the added block it became. */
const PAIR_LOOKAHEAD = 8;
const PAIR_MIN_SIMILARITY = 0.35;

/** A text split into the blocks the diff compares; made once per text and reusable (read-only). */
export interface DiffBlocks {
  readonly blocks: readonly Block[];
}

/** The blocks of a text, from its Markdown or from its sanitised tree (which this strips of ids). */
export function diffBlocksOf(source: string | Root): DiffBlocks {
  return { blocks: blocksOf(typeof source === "string" ? toSafeTree(source) : source) };
}

export function diffAgreementSections(
  fromMarkdown: string | DiffBlocks,
  toMarkdown: string | DiffBlocks,
  options: SectionDiffOptions = {},
): SectionDiff {
  const clock = options.now ?? (() => performance.now());
  const before = typeof fromMarkdown === "string" ? diffBlocksOf(fromMarkdown).blocks : fromMarkdown.blocks;
  const after = typeof toMarkdown === "string" ? diffBlocksOf(toMarkdown).blocks : toMarkdown.blocks;
  // The budget is for word-level work; parsing both texts is linear and not counted.
  const deadline = clock() + (options.deadlineMs ?? 800);
  const changes = diffArrays(
    before.map((b) => b.key),
    after.map((b) => b.key),
  );

  const out: WorkingBlock[] = [];
  let coarse = false;
  let i = 0;
  let j = 0;
  let c = 0;
  while (c < changes.length) {
    const change = changes[c]!;
    if (!change.added && !change.removed) {
      for (let n = 0; n < change.count; n++) out.push(whole("same", after[j++]!));
      i += change.count;
      c++;
      continue;
    }
    // A run of removals and additions (in either order): pair what changed in place.
    const removed: Block[] = [];
    const added: Block[] = [];
    while (c < changes.length && (changes[c]!.added || changes[c]!.removed)) {
      const run = changes[c]!;
      if (run.removed) removed.push(...before.slice(i, (i += run.count)));
      else added.push(...after.slice(j, (j += run.count)));
      c++;
    }
    coarse = pairRun(removed, added, out, () => clock() > deadline) || coarse;
  }

  let wordsAdded = 0;
  let wordsRemoved = 0;
  const linkChanges: LinkChange[] = [];
  for (const block of out) {
    if (block.op === "changed") {
      wordsAdded += wordsOf(block.parts, "added");
      wordsRemoved += wordsOf(block.parts, "removed");
      linkChanges.push(...block.links);
    }
  }
  // Whole blocks added or removed count all their words.
  for (const block of out) {
    if (block.op === "added") wordsAdded += countWords(block.text);
    if (block.op === "removed") wordsRemoved += countWords(block.text);
  }
  return {
    format: SECTION_DIFF_FORMAT,
    sections: toSections(out),
    linkChanges: dedupeLinks(linkChanges),
    wordsAdded,
    wordsRemoved,
    coarse,
  };
}

/** Pairs removed and added blocks in order; returns true if the deadline forced a coarse result. */
function pairRun(
  removed: readonly Block[],
  added: readonly Block[],
  out: WorkingBlock[],
  pastDeadline: () => boolean,
): boolean {
  let coarse = false;
  let next = 0;
  for (const old of removed) {
    let best = -1;
    let bestScore = PAIR_MIN_SIMILARITY;
    for (let k = next; k < Math.min(added.length, next + PAIR_LOOKAHEAD); k++) {
      const candidate = added[k]!;
      if (candidate.kind !== old.kind) continue;
      const score = similarity(old.text, candidate.text);
      if (score > bestScore || (old.text === candidate.text && score >= bestScore)) {
        best = k;
        bestScore = score;
      }
    }
    if (best === -1) {
      out.push(whole("removed", old));
      continue;
    }
    while (next < best) {
      out.push(whole("added", added[next++]!));
    }
    const now = added[next++]!;
    if (pastDeadline()) {
      coarse = true;
      out.push(whole("removed", old), whole("added", now));
      continue;
    }
    const changed = changedBlock(old, now);
    if (changed) out.push(changed);
    else {
      coarse = true;
      out.push(whole("removed", old), whole("added", now));
    }
  }
  while (next < added.length) {
    out.push(whole("added", added[next++]!));
  }
  return coarse;
}

/** Per-block word diff budget: a block is at most a few thousand words. */
const BLOCK_DIFF_TIMEOUT_MS = 100;

function changedBlock(old: Block, now: Block): WorkingBlock | null {
  let cells: DiffPart[][] | undefined;
  if (old.cells && now.cells && old.cells.length === now.cells.length) {
    cells = [];
    for (let n = 0; n < old.cells.length; n++) {
      const changes = diffWords(old.cells[n]!, now.cells[n]!, { timeout: BLOCK_DIFF_TIMEOUT_MS });
      if (!changes) return null;
      cells.push(mergeParts(changes));
    }
  }
  const changes = cells ? null : diffWords(old.text, now.text, { timeout: BLOCK_DIFF_TIMEOUT_MS });
  if (!cells && !changes) return null;
  const parts = cells ? cells.flat() : mergeParts(changes!);
  return {
    op: "changed",
    kind: now.kind,
    text: now.text,
    parts,
    ...(cells ? { cells } : {}),
    links: linkChanges(old.links, now.links),
  };
}

/** Link targets that changed: the same link text now pointing elsewhere, or a target added or removed. */
function linkChanges(old: Block["links"], now: Block["links"]): LinkChange[] {
  const changes: LinkChange[] = [];
  const remaining = [...now];
  for (const link of old) {
    const same = remaining.findIndex((l) => l.text === link.text && l.href === link.href);
    if (same !== -1) {
      remaining.splice(same, 1);
      continue;
    }
    const moved = remaining.findIndex((l) => l.text === link.text);
    if (moved !== -1) {
      changes.push({ text: link.text, from: link.href, to: remaining[moved]!.href });
      remaining.splice(moved, 1);
    } else if (link.href) changes.push({ text: link.text, from: link.href, to: null });
  }
  for (const link of remaining) if (link.href) changes.push({ text: link.text, from: null, to: link.href });
  return changes;
}

function dedupeLinks(links: LinkChange[]): LinkChange[] {
  const seen = new Set<string>();
  return links.filter((link) => {
    const key = JSON.stringify([link.text, link.from, link.to]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function similarity(a: string, b: string): number {
  if (a === b) return 1;
  const left = new Set(a.toLowerCase().split(/\W+/).filter(Boolean));
  const right = new Set(b.toLowerCase().split(/\W+/).filter(Boolean));
  if (left.size === 0 && right.size === 0) return 1;
  let common = 0;
  for (const word of left) if (right.has(word)) common++;
  return common / (left.size + right.size - common);
}

function whole(op: "same" | "added" | "removed", block: Block): WorkingBlock {
  return { op, kind: block.kind, html: block.html, text: block.text };
}

function toSections(blocks: WorkingBlock[]): DiffSection[] {
  const sections: DiffSection[] = [];
  let current: DiffSection = { heading: null, title: "", blocks: [], changed: false };
  for (const { text, ...block } of blocks) {
    if (SECTION_HEADINGS.has(block.kind)) {
      if (current.heading || current.blocks.length) sections.push(current);
      current = { heading: block, title: text, blocks: [], changed: block.op !== "same" };
      continue;
    }
    current.blocks.push(block);
    if (block.op !== "same") current.changed = true;
  }
  if (current.heading || current.blocks.length) sections.push(current);
  return sections;
}

// ---------------------------------------------------------------------------
// Blocks of a rendered document

function blocksOf(tree: Root): Block[] {
  const blocks: Block[] = [];
  const visit = (nodes: RootContent[]) => {
    for (const node of nodes) {
      if (node.type !== "element") continue;
      stripIds(node);
      if (node.tagName === "ul" || node.tagName === "ol") {
        for (const item of node.children) {
          if (item.type === "element" && item.tagName === "li")
            blocks.push(block(item, `li:${node.tagName}`));
        }
      } else if (node.tagName === "table") {
        for (const group of node.children) {
          if (group.type !== "element") continue;
          for (const row of group.children) {
            if (row.type === "element" && row.tagName === "tr")
              blocks.push(block(row, `tr:${group.tagName}`));
          }
        }
      } else if (node.tagName === "section" || node.tagName === "div") {
        visit(node.children);
      } else {
        blocks.push(block(node, node.tagName));
      }
    }
  };
  visit(tree.children);
  return blocks;
}

function block(element: Element, kind: BlockKind): Block {
  const html = blockHtml(element);
  const cells =
    element.tagName === "tr"
      ? element.children.flatMap((cell) => (cell.type === "element" ? [plain(cell)] : []))
      : null;
  return {
    kind,
    html,
    text: plain(element),
    key: `${kind}\u0000${html}`,
    links: [...anchors(element)].map((a) => ({
      text: textOf(a).trim(),
      href: typeof a.properties.href === "string" ? a.properties.href : null,
    })),
    cells,
  };
}

/** Visible text, one line per block or line break. */
function plain(element: Element): string {
  return textOf(element)
    .replace(/\n\s*\n/g, "\n")
    .trim();
}

/** Ids would repeat across the two versions shown on one page: the diff page gives its own. */
function stripIds(node: Root | RootContent): void {
  if (node.type === "element") delete node.properties.id;
  if ("children" in node) for (const child of node.children) stripIds(child);
}

function* anchors(node: Element): Generator<Element> {
  if (node.tagName === "a") yield node;
  for (const child of node.children) if (child.type === "element") yield* anchors(child);
}

function mergeParts(changes: { added: boolean; removed: boolean; value: string }[]): DiffPart[] {
  const parts: DiffPart[] = [];
  for (const change of changes) {
    const kind = change.added ? "added" : change.removed ? "removed" : "same";
    const last = parts.at(-1);
    if (last && last.kind === kind) last.text += change.value;
    else parts.push({ kind, text: change.value });
  }
  return parts;
}

function wordsOf(parts: DiffPart[], kind: DiffPart["kind"]): number {
  return parts.reduce((sum, part) => sum + (part.kind === kind ? countWords(part.text) : 0), 0);
}
