// `npm start` on a fresh clone: install what is missing, then scripts/serve.ts
// migrates, seeds, builds and serves (on an embedded Postgres when
// DATABASE_URL is unset). `npm run dev` does the same with `next dev`.
import { spawn } from "node:child_process";
import { ensureDependencies } from "./ensure-deps.mjs";

ensureDependencies();
const child = spawn(
  "npx",
  ["tsx", "--conditions=react-server", "scripts/serve.ts", ...process.argv.slice(2)],
  {
    stdio: "inherit",
  },
);
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
