// Diffs under load (issue 8), on the corpus (tests/fixtures/agreements):
//   1. a stored consecutive diff: p99 of reading it (the service the page uses), target ≤ 50 ms,
//      and p99 of the diff page for a consecutive pair rendered by the app from it;
//   2. the largest pair (a full rewrite, ~50 KB each) computed in the render worker, target ≤ 1 s;
//   3. p99 of GET /api/auth/csrf idle, then while 8 clients keep requesting diffs nobody asked for
//      before (each a new pair, so each is computed), target: within 100 ms of idle.
//
//   npx tsx --conditions=react-server bench/diff-load.ts [--dist .next-dir] [--duration 10]
import autocannon from "autocannon";
import { startBenchServer } from "./agreement-bench-server";
import { largestPair } from "../tests/fixtures/agreements/corpus";

const args = process.argv.slice(2);
const option = (name: string) => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? args[at + 1] : undefined;
};
const DURATION = Number(option("duration") ?? 10);
const PORT = 4110;
const LOADERS = 8;

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
};

const app = await startBenchServer({
  port: PORT,
  count: 66,
  distDir: option("dist"),
  log: ".data/bench-diff-server.log",
});
try {
  const { prisma } = await import("../lib/db");
  const { getVersionDiff } = await import("../lib/agreements/render/store");
  const { diffMarkdown } = await import("../lib/agreements/render/pool");
  const versions = await prisma.agreementVersion.findMany({
    where: { number: { gt: 1 } },
    orderBy: { number: "asc" },
    select: { id: true, number: true, bodyMarkdown: true },
  });

  // 1. Stored consecutive diffs: every pair, 10 reads each.
  const reads: number[] = [];
  for (let round = 0; round < 10; round++) {
    for (let i = 1; i < versions.length; i++) {
      const started = performance.now();
      const diff = await getVersionDiff(versions[i - 1]!, versions[i]!);
      reads.push(performance.now() - started);
      if (!diff.ok) throw new Error(diff.message);
    }
  }
  const pages: number[] = [];
  for (let i = 1; i < versions.length; i++) {
    const started = performance.now();
    const answer = await fetch(
      `${app.base}/agreement/diff?from=${versions[i - 1]!.number}&to=${versions[i]!.number}`,
    );
    await answer.arrayBuffer();
    pages.push(performance.now() - started);
    if (!answer.ok) throw new Error(`diff page ${i}: ${answer.status}`);
  }

  // 2. The largest pair, in the worker (warm), 5 times.
  const [from, to] = largestPair(app.corpus);
  const computes: number[] = [];
  for (let i = 0; i < 6; i++) {
    const started = performance.now();
    const diff = await diffMarkdown(from.markdown, to.markdown);
    if (i > 0) computes.push(performance.now() - started); // the first starts the worker
    if (!diff.ok) throw new Error(diff.error.message);
  }

  // 3. csrf p99, idle and under 8 clients of uncached diffs.
  const csrf = async () => {
    const result = await autocannon({ url: `${app.base}/api/auth/csrf`, connections: 2, duration: DURATION });
    return { p99: result.latency.p99, p50: result.latency.p50, rps: result.requests.average };
  };
  await csrf();
  const idle = await csrf();
  const pairs: [number, number][] = [];
  for (let a = 2; a < versions.length; a++)
    for (const b of [versions.length, versions.length - 1]) if (a < b - 1) pairs.push([a, b]);
  let next = 0;
  let stop = false;
  const diffTimes: number[] = [];
  const loaders = Array.from({ length: LOADERS }, async () => {
    while (!stop && next < pairs.length) {
      const [a, b] = pairs[next++]!;
      const started = performance.now();
      const answer = await fetch(
        `${app.base}/agreement/diff?from=${versions[a - 1]!.number}&to=${versions[b - 1]!.number}`,
      );
      await answer.arrayBuffer();
      if (!stop) diffTimes.push(performance.now() - started);
    }
  });
  const loaded = await csrf();
  stop = true;
  await Promise.all(loaders);

  console.log(`\nDiff bench on ${versions.length} corpus versions (stored consecutive diffs)\n`);
  console.log(
    `1. stored consecutive diff, read by the service: p50 ${percentile(reads, 50).toFixed(1)} ms, p99 ${percentile(reads, 99).toFixed(1)} ms (target ≤ 50 ms) ${percentile(reads, 99) <= 50 ? "PASS" : "FAIL"}`,
  );
  console.log(
    `   diff page of a consecutive pair, first request (rendered by Next from the stored diff): p50 ${percentile(pages, 50).toFixed(0)} ms, p99 ${percentile(pages, 99).toFixed(0)} ms`,
  );
  console.log(
    `2. largest pair (versions ${from.number}→${to.number}, ${Math.round(from.markdown.length / 1024)} KB → ${Math.round(to.markdown.length / 1024)} KB, full rewrite) in the worker: median ${percentile(computes, 50).toFixed(0)} ms, max ${Math.max(...computes).toFixed(0)} ms (target ≤ 1000 ms) ${Math.max(...computes) <= 1000 ? "PASS" : "FAIL"}`,
  );
  console.log(
    `3. GET /api/auth/csrf p99: idle ${idle.p99} ms (${idle.rps.toFixed(0)} req/s), with ${LOADERS} clients of uncached diffs ${loaded.p99} ms (${loaded.rps.toFixed(0)} req/s); difference ${loaded.p99 - idle.p99} ms (target ≤ 100 ms) ${loaded.p99 - idle.p99 <= 100 ? "PASS" : "FAIL"}`,
  );
  console.log(
    `   uncached diffs answered meanwhile: ${diffTimes.length}, p50 ${diffTimes.length ? percentile(diffTimes, 50).toFixed(0) : "-"} ms each`,
  );
} finally {
  await app.stop();
}
