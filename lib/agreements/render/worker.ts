// Runs in the render worker threads (lib/agreements/render/pool.ts), loaded
// through tsx: relative imports only, nothing server-only, no database.
import { createHash } from "node:crypto";
import { setPriority } from "node:os";
import { workerData } from "piscina";
import { diffAgreementSections, diffBlocksOf, type DiffBlocks, type SectionDiff } from "../diff";
import { contentWarnings, type ContentWarning, type ContentWarningOptions } from "../import/content-warnings";
import { renderSafeTree, toSafeTree, type TocEntry } from "../markdown";
import { checkMarkdownLimits, type RenderError, type RenderLimits } from "./limits";

// On Linux the nice value belongs to the thread: this lowers the render threads
// only, so the event loop gets the CPU first when both want it (2-core machines).
// A command-line process with no requests to serve (the import) keeps its own priority.
if ((workerData as { lowPriority?: boolean } | undefined)?.lowPriority !== false) {
  try {
    setPriority(10);
  } catch {
    // not permitted here: run at normal priority
  }
}

export type RenderTask =
  | { kind: "render"; markdown: string; limits: RenderLimits; markBidiControls: boolean }
  | { kind: "diff"; from: string; to: string; limits: RenderLimits; deadlineMs: number }
  | {
      /** A version just published: its HTML, and its diff from `previous`, from one parse of its text. */
      kind: "render-and-diff";
      markdown: string;
      previous: string | null;
      limits: RenderLimits;
      deadlineMs: number;
    }
  | {
      /** Consecutive versions (an import): each rendered and diffed from the one before, each parsed once. */
      kind: "render-and-diff-series";
      texts: string[];
      previous: string | null;
      limits: RenderLimits;
      deadlineMs: number;
    }
  | { kind: "check"; markdown: string; limits: RenderLimits; options: ContentWarningOptions };

export interface Rendered {
  html: string;
  toc: TocEntry[];
  /** SHA-256 (hex) of html. */
  htmlSha256: string;
}

export interface RenderedAndDiffed {
  rendered: Rendered;
  /** null without a previous text. */
  diff: SectionDiff | null;
}

export type TaskOutcome<T> = { ok: true; value: T } | { ok: false; error: RenderError };

// The diff's blocks of the last few texts this thread parsed. Publishing (and
// importing, version after version) diffs each text against the one before,
// which this thread has usually just rendered: without this, every published
// text was parsed and sanitised three times (its HTML, and each side of two diffs).
const BLOCKS_KEPT = 4;
const blocksCache = new Map<string, DiffBlocks>();

function keepBlocks(markdown: string, blocks: DiffBlocks): DiffBlocks {
  blocksCache.delete(markdown);
  blocksCache.set(markdown, blocks);
  if (blocksCache.size > BLOCKS_KEPT) blocksCache.delete(blocksCache.keys().next().value as string);
  return blocks;
}

function blocksOf(markdown: string): DiffBlocks {
  const kept = blocksCache.get(markdown);
  return kept ? keepBlocks(markdown, kept) : keepBlocks(markdown, diffBlocksOf(markdown));
}

function refusal(markdown: string, limits: RenderLimits, side?: "old" | "new"): TaskOutcome<never> | null {
  const refused = checkMarkdownLimits(markdown, limits);
  if (!refused) return null;
  return {
    ok: false,
    error: side ? { ...refused, message: `The ${side} version: ${refused.message}` } : refused,
  };
}

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

type Outcome =
  | TaskOutcome<Rendered>
  | TaskOutcome<SectionDiff>
  | TaskOutcome<RenderedAndDiffed>
  | TaskOutcome<RenderedAndDiffed[]>
  | TaskOutcome<ContentWarning[]>;

function renderAndDiff(
  markdown: string,
  previous: string | null,
  limits: RenderLimits,
  deadlineMs: number,
): TaskOutcome<RenderedAndDiffed> {
  const refused = refusal(markdown, limits) ?? (previous === null ? null : refusal(previous, limits, "old"));
  if (refused) return refused;
  const tree = toSafeTree(markdown);
  // The HTML first: taking the blocks strips the tree's ids.
  const { html, toc } = renderSafeTree(tree);
  const blocks = keepBlocks(markdown, diffBlocksOf(tree));
  const diff = previous === null ? null : diffAgreementSections(blocksOf(previous), blocks, { deadlineMs });
  return { ok: true, value: { rendered: { html, toc, htmlSha256: sha256(html) }, diff } };
}

export default function runTask(task: RenderTask): Outcome {
  try {
    switch (task.kind) {
      case "render": {
        const refused = refusal(task.markdown, task.limits);
        if (refused) return refused;
        const { html, toc } = renderSafeTree(toSafeTree(task.markdown), {
          markBidiControls: task.markBidiControls,
        });
        return { ok: true, value: { html, toc, htmlSha256: sha256(html) } };
      }
      case "diff": {
        const refused = refusal(task.from, task.limits, "old") ?? refusal(task.to, task.limits, "new");
        if (refused) return refused;
        return {
          ok: true,
          value: diffAgreementSections(blocksOf(task.from), blocksOf(task.to), {
            deadlineMs: task.deadlineMs,
          }),
        };
      }
      case "render-and-diff":
        return renderAndDiff(task.markdown, task.previous, task.limits, task.deadlineMs);
      case "render-and-diff-series": {
        const done: RenderedAndDiffed[] = [];
        let previous = task.previous;
        for (const markdown of task.texts) {
          const one = renderAndDiff(markdown, previous, task.limits, task.deadlineMs);
          if (!one.ok) return one;
          done.push(one.value);
          previous = markdown;
        }
        return { ok: true, value: done };
      }
      case "check": {
        const refused = refusal(task.markdown, task.limits);
        if (refused) return refused;
        return { ok: true, value: contentWarnings(task.markdown, task.options) };
      }
    }
  } catch (error) {
    // A stack overflow or similar: refuse this input, keep the worker.
    return {
      ok: false,
      error: { code: "failed", message: `The text could not be rendered: ${String(error)}` },
    };
  }
}
