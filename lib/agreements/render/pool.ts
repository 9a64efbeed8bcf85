// Rendering and diffing off the request thread: a small pool of worker
// threads (piscina) with a time limit per task. A task that overruns is
// aborted and its worker thread terminated, so a pathological input costs at
// most `timeoutMs` of one worker and never blocks the event loop.
//
// The workers load lib/agreements/render/worker.ts through tsx (the process
// already runs under tsx in `npm start`; tests and benches get it added), from
// the project folder: the server always runs with it as working directory.
import { availableParallelism } from "node:os";
import path from "node:path";
import { Piscina } from "piscina";
import type { SectionDiff } from "../diff";
import type { ContentWarning, ContentWarningOptions } from "../import/content-warnings";
import { DEFAULT_RENDER_LIMITS, type RenderError, type RenderLimits } from "./limits";
import type { RenderTask, Rendered, RenderedAndDiffed, TaskOutcome } from "./worker";

export type { Rendered, RenderedAndDiffed } from "./worker";
export type { RenderError } from "./limits";

export type RenderOutcome<T> = { ok: true; value: T } | { ok: false; error: RenderError };

export interface RenderCallOptions {
  limits?: Partial<RenderLimits>;
  /** Visible markers for bidi control characters (the editor's preview). */
  markBidiControls?: boolean;
}

const globalForPool = globalThis as unknown as {
  accordRenderPool?: Piscina;
  accordRenderThreads?: number;
  accordRenderLowPriority?: boolean;
};

/** Threads the pool has (or will have): a core is left to the event loop and Postgres. */
export function renderThreads(): number {
  return globalForPool.accordRenderThreads ?? Math.max(1, Math.min(4, availableParallelism() - 1));
}

/**
 * For a command-line process with no requests to serve (the import): render
 * on every core, at the process's own priority (the render threads of a
 * server run at nice 10 to leave its event loop the CPU; run the command
 * under `nice` to be as polite). Call before the first render; later calls
 * change nothing.
 */
export function useEveryCoreForRendering(): void {
  if (globalForPool.accordRenderPool) return;
  globalForPool.accordRenderThreads = Math.max(1, availableParallelism());
  globalForPool.accordRenderLowPriority = false;
}

function pool(): Piscina {
  if (globalForPool.accordRenderPool) return globalForPool.accordRenderPool;
  const underTsx = process.execArgv.some((arg) => arg.includes("tsx"));
  const created = new Piscina({
    filename: path.join(process.cwd(), "lib/agreements/render/worker.ts"),
    execArgv: underTsx ? process.execArgv : [...process.execArgv, "--import", "tsx"],
    maxThreads: renderThreads(),
    workerData: { lowPriority: globalForPool.accordRenderLowPriority ?? true },
    minThreads: 1,
    idleTimeout: 60_000,
    resourceLimits: { maxOldGenerationSizeMb: 512 },
  });
  globalForPool.accordRenderPool = created;
  return created;
}

async function run<T>(task: RenderTask, timeoutMs: number): Promise<RenderOutcome<T>> {
  try {
    const outcome = (await pool().run(task, { signal: AbortSignal.timeout(timeoutMs) })) as TaskOutcome<T>;
    return outcome.ok ? { ok: true, value: outcome.value } : { ok: false, error: outcome.error };
  } catch (error) {
    if (error instanceof Error && (error.name === "AbortError" || error.name === "TimeoutError")) {
      return {
        ok: false,
        error: {
          code: "timeout",
          message: `Rendering took longer than ${timeoutMs / 1000} s and was stopped.`,
          values: { seconds: timeoutMs / 1000 },
        },
      };
    }
    return {
      ok: false,
      error: { code: "failed", message: `The text could not be rendered: ${String(error)}` },
    };
  }
}

function limitsOf(options: RenderCallOptions): RenderLimits {
  return { ...DEFAULT_RENDER_LIMITS, ...options.limits };
}

function tooLarge(markdown: string, limits: RenderLimits): RenderOutcome<never> | null {
  // Measured here too, so a huge text is refused before it is copied to a worker.
  const bytes = Buffer.byteLength(markdown, "utf8");
  if (bytes <= limits.maxBytes) return null;
  return {
    ok: false,
    error: {
      code: "too_large",
      message: `The text is ${Math.round(bytes / 1024)} KiB; the limit is ${Math.round(limits.maxBytes / 1024)} KiB.`,
      values: { size: Math.round(bytes / 1024), limit: Math.round(limits.maxBytes / 1024) },
    },
  };
}

/** Renders agreement Markdown to sanitised HTML in a worker, within the limits. */
export async function renderMarkdown(
  markdown: string,
  options: RenderCallOptions = {},
): Promise<RenderOutcome<Rendered>> {
  const limits = limitsOf(options);
  return (
    tooLarge(markdown, limits) ??
    run<Rendered>(
      { kind: "render", markdown, limits, markBidiControls: options.markBidiControls ?? false },
      limits.timeoutMs,
    )
  );
}

/** Section diff of two texts in a worker: block level, then words inside changed blocks, within a time cap. */
export async function diffMarkdown(
  from: string,
  to: string,
  options: RenderCallOptions & { deadlineMs?: number } = {},
): Promise<RenderOutcome<SectionDiff>> {
  const limits = limitsOf(options);
  return (
    tooLarge(from, limits) ??
    tooLarge(to, limits) ??
    run<SectionDiff>(
      { kind: "diff", from, to, limits, deadlineMs: options.deadlineMs ?? 800 },
      limits.timeoutMs,
    )
  );
}

/**
 * A version being published: its HTML and its diff from the previous text, in
 * one task that parses the text once (and the previous one not at all when
 * this thread has just rendered it, as when publishing or importing in order).
 */
export async function renderAndDiffMarkdown(
  markdown: string,
  previous: string | null,
  options: RenderCallOptions & { deadlineMs?: number } = {},
): Promise<RenderOutcome<RenderedAndDiffed>> {
  const limits = limitsOf(options);
  return (
    tooLarge(markdown, limits) ??
    (previous === null ? null : tooLarge(previous, limits)) ??
    run<RenderedAndDiffed>(
      { kind: "render-and-diff", markdown, previous, limits, deadlineMs: options.deadlineMs ?? 800 },
      limits.timeoutMs,
    )
  );
}

/**
 * Consecutive versions (an import, in number order): each rendered and diffed
 * from the one before (`previous` for the first), in one task on one thread,
 * so each text is parsed once. The time limit is the per-text one times the count.
 */
export async function renderAndDiffSeries(
  texts: readonly string[],
  previous: string | null,
  options: RenderCallOptions & { deadlineMs?: number } = {},
): Promise<RenderOutcome<RenderedAndDiffed[]>> {
  const limits = limitsOf(options);
  for (const text of previous === null ? texts : [previous, ...texts]) {
    const refused = tooLarge(text, limits);
    if (refused) return refused;
  }
  return run<RenderedAndDiffed[]>(
    {
      kind: "render-and-diff-series",
      texts: [...texts],
      previous,
      limits,
      deadlineMs: options.deadlineMs ?? 800,
    },
    limits.timeoutMs * Math.max(1, texts.length),
  );
}

/**
 * The content warnings of a text (lib/agreements/import/content-warnings.ts),
 * in a worker: they parse the text, which an admin's request must not do.
 */
export async function checkContent(
  markdown: string,
  warningOptions: ContentWarningOptions,
  options: RenderCallOptions = {},
): Promise<RenderOutcome<ContentWarning[]>> {
  const limits = limitsOf(options);
  return (
    tooLarge(markdown, limits) ??
    run<ContentWarning[]>({ kind: "check", markdown, limits, options: warningOptions }, limits.timeoutMs)
  );
}

/** Stops the worker threads (scripts and tests, before exiting). */
export async function closeRenderPool(): Promise<void> {
  const created = globalForPool.accordRenderPool;
  globalForPool.accordRenderPool = undefined;
  await created?.destroy();
}
