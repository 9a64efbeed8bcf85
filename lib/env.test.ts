import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";

function loadEnv(env: Record<string, string | undefined>) {
  const clean = { ...process.env, SKIP_ENV_VALIDATION: "", ...env } as NodeJS.ProcessEnv;
  return spawnSync("npx", ["tsx", "-e", 'import("./lib/env.ts").then(() => console.log("loaded"))'], {
    env: clean,
    encoding: "utf8",
  });
}

// Each case starts a tsx process (about 1–2 s each, more on a loaded machine).
const SPAWN_TIMEOUT_MS = 60_000;

const good = { DATABASE_URL: "postgres://postgres@127.0.0.1:5432/accord", NEXTAUTH_SECRET: "x".repeat(32) };

describe("environment validation", () => {
  it(
    "accepts a valid environment",
    () => {
      const result = loadEnv(good);
      expect(result.stdout).toContain("loaded");
    },
    SPAWN_TIMEOUT_MS,
  );

  it(
    "stops with a message naming a missing or malformed variable",
    () => {
      const missing = loadEnv({ ...good, DATABASE_URL: undefined });
      expect(missing.status).not.toBe(0);
      expect(missing.stderr).toContain("DATABASE_URL");

      const malformed = loadEnv({ ...good, NOTICE_PERIOD_DAYS: "soon" });
      expect(malformed.status).not.toBe(0);
      expect(malformed.stderr).toContain("NOTICE_PERIOD_DAYS");

      const weak = loadEnv({ ...good, NEXTAUTH_SECRET: "short" });
      expect(weak.stderr).toContain("NEXTAUTH_SECRET");
    },
    SPAWN_TIMEOUT_MS,
  );
});
