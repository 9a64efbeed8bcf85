// Runs in the render worker threads (lib/agreements/render/pool.ts), loaded
// through tsx: relative imports only, nothing server-only, no database.
import { createHash } from "node:crypto";
import { setPriority } from "node:os";
import { diffAgreementSections, type SectionDiff } from "../diff";
import { renderAgreementMarkdown, type TocEntry } from "../markdown";
import { checkMarkdownLimits, type RenderError, type RenderLimits } from "./limits";

// On Linux the nice value belongs to the thread: this lowers the render threads
// only, so the event loop gets the CPU first when both want it (2-core machines).
try {
  setPriority(10);
} catch {
  // not permitted here: run at normal priority
}

export type RenderTask =
  | { kind: "render"; markdown: string; limits: RenderLimits; markBidiControls: boolean }
  | { kind: "diff"; from: string; to: string; limits: RenderLimits; deadlineMs: number };

export interface Rendered {
  html: string;
  toc: TocEntry[];
  /** SHA-256 (hex) of html. */
  htmlSha256: string;
}

export type TaskOutcome<T> = { ok: true; value: T } | { ok: false; error: RenderError };

export default function runTask(task: RenderTask): TaskOutcome<Rendered> | TaskOutcome<SectionDiff> {
  try {
    if (task.kind === "render") {
      const refused = checkMarkdownLimits(task.markdown, task.limits);
      if (refused) return { ok: false, error: refused };
      const { html, toc } = renderAgreementMarkdown(task.markdown, {
        markBidiControls: task.markBidiControls,
      });
      return { ok: true, value: { html, toc, htmlSha256: createHash("sha256").update(html).digest("hex") } };
    }
    for (const [side, markdown] of [
      ["old", task.from],
      ["new", task.to],
    ] as const) {
      const refused = checkMarkdownLimits(markdown, task.limits);
      if (refused)
        return { ok: false, error: { ...refused, message: `The ${side} version: ${refused.message}` } };
    }
    return { ok: true, value: diffAgreementSections(task.from, task.to, { deadlineMs: task.deadlineMs }) };
  } catch (error) {
    // A stack overflow or similar: refuse this input, keep the worker.
    return {
      ok: false,
      error: { code: "failed", message: `The text could not be rendered: ${String(error)}` },
    };
  }
}
