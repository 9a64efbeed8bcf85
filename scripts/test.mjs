// `npm test`: every check, in order, on a fresh clone too. Each step runs even
// if an earlier one failed, so one run shows everything that is wrong.
import { spawnSync } from "node:child_process";
import { ensureDependencies } from "./ensure-deps.mjs";

ensureDependencies();

const steps = [
  ["typecheck", ["run", "typecheck"]],
  ["lint", ["run", "lint"]],
  ["format", ["run", "format:check"]],
  ["unit", ["run", "test:unit"]],
  ["integration", ["run", "test:integration"]],
  ["e2e", ["run", "test:e2e"]],
];

const only = process.argv.slice(2);
const results = [];
for (const [name, args] of steps) {
  if (only.length && !only.includes(name)) continue;
  console.log(`\n=== ${name}: npm ${args.join(" ")}`);
  const started = Date.now();
  const { status } = spawnSync("npm", args, { stdio: "inherit" });
  results.push({ name, ok: status === 0, seconds: Math.round((Date.now() - started) / 1000) });
}

console.log("\n=== summary");
for (const { name, ok, seconds } of results) console.log(`${ok ? "PASS" : "FAIL"}  ${name} (${seconds}s)`);
const failed = results.filter((r) => !r.ok).length;
console.log(`steps: ${results.length - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
