// `npm start` on a fresh clone: install what is missing, then scripts/serve.ts
// migrates, seeds, builds and serves (on an embedded Postgres when
// DATABASE_URL is unset). `npm run dev` does the same with `next dev`.
import { spawn } from "node:child_process";
import { ensureDependencies } from "./ensure-deps.mjs";

ensureDependencies();
// `npm start` is never a test: no variable made for tests reaches the build,
// the server, the worker or the sequencer (lib/clock.ts), and Next runs in
// production mode (development with --dev).
const env = { ...process.env, NODE_ENV: process.argv.includes("--dev") ? "development" : "production" };
for (const name of ["ACCORD_TEST_BUILD", "ACCORD_NEXT_BUNDLE", "ACCORD_CLOCK_FILE"]) delete env[name];
// Two glibc malloc arenas instead of 8 per core: buffers Node frees (socket
// reads, streamed chunks) go back to a shared pool instead of staying in
// per-thread arenas, which kept a 100,000-event data export's server 50–100 MB
// larger (docs/benchmarks.md, "People's rights"); throughput did not drop
// (docs/benchmarks.md, "Service API"). An operator's own setting wins.
env.MALLOC_ARENA_MAX ??= "2";
const child = spawn(
  "npx",
  ["tsx", "--conditions=react-server", "scripts/serve.ts", ...process.argv.slice(2)],
  { stdio: "inherit", env },
);
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
