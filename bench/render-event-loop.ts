// Rendering never blocks the event loop (issue 8): no Markdown input of up to
// 1 MB may delay the event loop by more than 50 ms. Each input is rendered
// through renderMarkdown (the render worker) while monitorEventLoopDelay
// watches this thread; the baseline is the same input rendered on this thread,
// which is what the app did before.
//
//   npx tsx --conditions=react-server bench/render-event-loop.ts
import { monitorEventLoopDelay } from "node:perf_hooks";
import { renderAgreementMarkdown } from "../lib/agreements/markdown";
import { closeRenderPool, renderMarkdown } from "../lib/agreements/render/pool";
import { generateCorpus } from "../tests/fixtures/agreements/corpus";

const MB = 1024 * 1024;
// Just under the 1 MiB limit, whatever prefix an input has.
const fill = (unit: string) => unit.repeat(Math.floor((MB - 32 * 1024) / unit.length));
const corpus = generateCorpus({ count: 66 })
  .map((v) => v.markdown)
  .join("\n\n");
const inputs: Record<string, string> = {
  "corpus text, 1 MB": corpus.slice(0, MB),
  "one paragraph, 1 MB": fill("word "),
  "table with <br>, 1 MB": `| a | b |\n| --- | --- |\n${fill("| x<br>y | [l](https://e.example) |\n")}`,
  '"- " x 10000, then text to 1 MB': "- ".repeat(10_000) + fill("z"),
  '"> " x 10000, then text to 1 MB': "> ".repeat(10_000) + fill("z"),
  '"[a](" to 1 MB': fill("[a]("),
  "emphasis runs, 1 MB": fill("*a _b "),
};

async function maxDelay(
  work: () => Promise<unknown> | unknown,
): Promise<{ maxMs: number; ms: number; outcome: string }> {
  const histogram = monitorEventLoopDelay({ resolution: 5 });
  histogram.enable();
  await new Promise((resolve) => setTimeout(resolve, 20));
  const started = performance.now();
  let outcome = "ok";
  try {
    const result = (await work()) as { ok?: boolean; error?: { code: string } } | undefined;
    if (result && result.ok === false) outcome = result.error?.code ?? "error";
  } catch (error) {
    outcome = `threw ${(error as Error).name}`;
  }
  const ms = performance.now() - started;
  await new Promise((resolve) => setTimeout(resolve, 20));
  histogram.disable();
  return { maxMs: histogram.max / 1e6, ms, outcome };
}

await renderMarkdown("warm up the worker");
console.log(
  "\nEvent-loop delay while rendering inputs of up to 1 MB (max delay observed on the main thread)\n",
);
let worst = 0;
for (const [name, markdown] of Object.entries(inputs)) {
  const worker = await maxDelay(() => renderMarkdown(markdown));
  worst = Math.max(worst, worker.maxMs);
  // Baseline: the same render on the main thread (skipped for inputs that would run for minutes).
  const pathological = name.startsWith('"');
  const inline = pathological ? null : await maxDelay(() => renderAgreementMarkdown(markdown));
  console.log(
    `${name.padEnd(34)} worker: ${worker.outcome.padEnd(20)} ${worker.ms.toFixed(0).padStart(6)} ms, loop delay max ${worker.maxMs.toFixed(1).padStart(6)} ms` +
      (inline
        ? ` | on the main thread: loop delay max ${inline.maxMs.toFixed(0)} ms (${(inline.maxMs / Math.max(worker.maxMs, 0.1)).toFixed(0)}x)`
        : " | on the main thread: not run (minutes, or a stack overflow)"),
  );
}
console.log(
  `\nworst event-loop delay with the worker: ${worst.toFixed(1)} ms (target ≤ 50 ms) ${worst <= 50 ? "PASS" : "FAIL"}`,
);
await closeRenderPool();
