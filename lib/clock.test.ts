import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";

// Each case runs in a fresh process, because the module reads its build flag once.
function nowIn(env: Record<string, string>): number {
  const out = execFileSync(
    "npx",
    ["tsx", "-e", 'import("./lib/clock.ts").then((c) => console.log(c.now().getTime()))'],
    { env: { ...process.env, ACCORD_TEST_BUILD: "", ...env }, encoding: "utf8" },
  );
  return Number(out.trim());
}

describe("the clock", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "accord-clock-"));
  const file = path.join(dir, "clock.json");
  const tenDays = 10 * 24 * 60 * 60 * 1000;
  writeFileSync(file, JSON.stringify({ offsetMs: tenDays }));

  it("moves when a test build is told to", () => {
    const moved = nowIn({ ACCORD_TEST_BUILD: "1", ACCORD_CLOCK_FILE: file });
    expect(moved - Date.now()).toBeGreaterThan(tenDays - 60_000);
  });

  it("ignores any override in a production build", () => {
    const real = nowIn({ ACCORD_CLOCK_FILE: file });
    expect(Math.abs(real - Date.now())).toBeLessThan(60_000);
  });
});
