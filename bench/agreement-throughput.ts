// GET /agreement throughput (issue 8): at 32 concurrent clients the public
// agreement page must reach ≥ 50% of a bare node:http server returning the
// same bytes from memory, measured in the same run.
//
//   npx tsx --conditions=react-server bench/agreement-throughput.ts [--dist .next-dir] [--duration 5] [--rounds 3]
//
// The app holds the corpus (66 versions, the one in effect ~52 KB) and serves
// anonymous /agreement from the fast path's cached bytes
// (lib/server/fast-paths/agreement-pages.ts). The baseline is a child process
// (like the app) answering every request with the page's bytes.
import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import autocannon from "autocannon";
import { startBenchServer } from "./agreement-bench-server";

const args = process.argv.slice(2);
const option = (name: string) => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? args[at + 1] : undefined;
};
const DURATION = Number(option("duration") ?? 5);
const ROUNDS = Number(option("rounds") ?? 3);
const CLIENTS = 32;
const APP_PORT = 4108;
const BARE_PORT = 4109;

async function load(url: string, duration: number, language?: string) {
  const headers = language ? { "accept-language": language } : undefined;
  const result = await autocannon({ url, connections: CLIENTS, duration, ...(headers ? { headers } : {}) });
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    bad: result.non2xx + result.errors,
  };
}

const app = await startBenchServer({
  port: APP_PORT,
  count: 66,
  distDir: option("dist"),
  log: ".data/bench-agreement-server.log",
});
const bareFile = ".data/bench-agreement-page.html";
const bare = { process: undefined as ReturnType<typeof spawn> | undefined };
try {
  const page = Buffer.from(await (await fetch(`${app.base}/agreement`)).arrayBuffer());
  writeFileSync(bareFile, page);
  bare.process = spawn(
    process.execPath,
    [
      "-e",
      `const body = require("node:fs").readFileSync(${JSON.stringify(bareFile)});
       require("node:http").createServer((req, res) => {
         res.writeHead(200, { "content-type": "text/html; charset=utf-8", "content-length": body.length });
         res.end(body);
       }).listen(${BARE_PORT}, "127.0.0.1");`,
    ],
    { stdio: "inherit" },
  );
  await new Promise((resolve) => setTimeout(resolve, 500));
  const appUrl = `${app.base}/agreement`;
  const bareUrl = `http://127.0.0.1:${BARE_PORT}/`;
  await load(appUrl, 2);
  await load(bareUrl, 2);
  const zhPage = Buffer.from(
    await (await fetch(appUrl, { headers: { "accept-language": "zh-CN,zh;q=0.9" } })).arrayBuffer(),
  );
  if (!zhPage.toString("utf8").includes("用户隐私协议"))
    throw new Error("the Chinese page is not the translation");
  await load(appUrl, 2, "zh-CN,zh;q=0.9");
  const runs: {
    app: number;
    bare: number;
    zh: number;
    appP99: number;
    bareP99: number;
    zhP99: number;
    bad: number;
  }[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const a = await load(appUrl, DURATION);
    const b = await load(bareUrl, DURATION);
    const z = await load(appUrl, DURATION, "zh-CN,zh;q=0.9");
    runs.push({
      app: a.rps,
      bare: b.rps,
      zh: z.rps,
      appP99: a.p99,
      bareP99: b.p99,
      zhP99: z.p99,
      bad: a.bad + b.bad + z.bad,
    });
  }
  const median = (values: number[]) => [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)]!;
  const appRps = median(runs.map((r) => r.app));
  const bareRps = median(runs.map((r) => r.bare));
  console.log(
    `\n/agreement throughput, ${CLIENTS} clients, median of ${ROUNDS} interleaved rounds of ${DURATION} s`,
  );
  console.log(
    `page: ${page.length} bytes (the version in effect: ${Math.round(app.corpus.at(-1)!.markdown.length / 1024)} KB of Markdown)`,
  );
  console.log(
    `bare node:http, same bytes: ${bareRps.toFixed(0)} req/s (p99 ${median(runs.map((r) => r.bareP99))} ms)`,
  );
  console.log(
    `Accord /agreement:          ${appRps.toFixed(0)} req/s (p99 ${median(runs.map((r) => r.appP99))} ms)`,
  );
  const ratio = appRps / bareRps;
  console.log(`ratio: ${(ratio * 100).toFixed(0)}% (target ≥ 50%) ${ratio >= 0.5 ? "PASS" : "FAIL"}`);
  const zhRps = median(runs.map((r) => r.zh));
  console.log(
    `Accord /agreement in Chinese (${zhPage.length} bytes): ${zhRps.toFixed(0)} req/s (p99 ${median(runs.map((r) => r.zhP99))} ms)`,
  );
  console.log(
    `Chinese / English: ${((zhRps / appRps) * 100).toFixed(0)}% (issue 13: the same throughput in either language)`,
  );
  console.log(`non-2xx or errors: ${runs.reduce((sum, r) => sum + r.bad, 0)}`);
} finally {
  bare.process?.kill("SIGTERM");
  await app.stop();
}
