import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";

// Each case runs in a fresh process, because the module reads its gate once.
// These processes are what the worker, the log's sequencer and the CLIs are:
// lib/clock.ts loaded by tsx, reading the environment at run time.
function nowIn(env: Record<string, string>, servedBuild?: string): number {
  const follow = servedBuild ? `c.followServedBuild(".", ${JSON.stringify(servedBuild)}); ` : "";
  const out = execFileSync(
    "npx",
    ["tsx", "-e", `import("./lib/clock.ts").then((c) => { ${follow}console.log(c.now().getTime()); })`],
    {
      env: { ...process.env, ACCORD_TEST_BUILD: "", ACCORD_NEXT_BUNDLE: "", NODE_ENV: "test", ...env },
      encoding: "utf8",
    },
  );
  return Number(out.trim());
}

describe("the clock", { timeout: 60_000 }, () => {
  const dir = mkdtempSync(path.join(tmpdir(), "accord-clock-"));
  const file = path.join(dir, "clock.json");
  const tenDays = 10 * 24 * 60 * 60 * 1000;
  writeFileSync(file, JSON.stringify({ offsetMs: tenDays }));

  it("moves when a test process is told to", () => {
    const moved = nowIn({ ACCORD_TEST_BUILD: "1", ACCORD_CLOCK_FILE: file });
    expect(moved - Date.now()).toBeGreaterThan(tenDays - 60_000);
  });

  it("ignores any override without the test flag", () => {
    const real = nowIn({ ACCORD_CLOCK_FILE: file });
    expect(Math.abs(real - Date.now())).toBeLessThan(60_000);
  });

  it("ignores the override in the worker and the sequencer of `npm start` (NODE_ENV=production) even with the test flag", () => {
    // Finding 11 of issue 9: the worker and the checkpoint loop run under tsx and
    // read ACCORD_CLOCK_FILE at run time, so the Next bundle's gate did not cover them.
    const real = nowIn({ NODE_ENV: "production", ACCORD_TEST_BUILD: "1", ACCORD_CLOCK_FILE: file });
    expect(Math.abs(real - Date.now())).toBeLessThan(60_000);
  });

  it("in the custom server, follows the build it serves: a test build moves it, a production build does not", () => {
    const build = (testBuild: string) => {
      const distDir = mkdtempSync(path.join(dir, "dist-"));
      writeFileSync(
        path.join(distDir, "required-server-files.json"),
        JSON.stringify({ config: { env: { ACCORD_TEST_BUILD: testBuild } } }),
      );
      return distDir;
    };
    const server = { NODE_ENV: "production", ACCORD_TEST_BUILD: "1", ACCORD_CLOCK_FILE: file };
    expect(nowIn(server, build("1")) - Date.now()).toBeGreaterThan(tenDays - 60_000);
    expect(Math.abs(nowIn(server, build("0")) - Date.now())).toBeLessThan(60_000);
    expect(Math.abs(nowIn({ ...server, ACCORD_TEST_BUILD: "" }, build("1")) - Date.now())).toBeLessThan(
      60_000,
    );
  });
});
