// Installs dependencies when they are missing or older than the lockfile, and
// generates the Prisma client when it is missing. Plain Node: it runs before
// anything is installed.
import { existsSync, statSync } from "node:fs";
import { spawnSync } from "node:child_process";

function run(command, args) {
  console.log(`> ${command} ${args.join(" ")}`);
  const result = spawnSync(command, args, { stdio: "inherit" });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

export function ensureDependencies() {
  const installed = "node_modules/.package-lock.json";
  const stale = !existsSync(installed) || statSync("package-lock.json").mtimeMs > statSync(installed).mtimeMs;
  if (stale) run("npm", ["ci", "--no-audit", "--no-fund"]);
  if (!existsSync("lib/generated/prisma/client.ts")) run("node", ["scripts/prisma-generate.mjs"]);
}
