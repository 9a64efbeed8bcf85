// Time is an input: everything that depends on "now" asks this module, so tests
// can move time without sleeping. Only tests can move it:
//   - in the Next.js bundle, next.config.ts inlines ACCORD_TEST_BUILD and
//     ACCORD_NEXT_BUNDLE at build time, so only a build made for tests (by
//     `npm run test:e2e` or a bench) honours the override file, whatever the
//     run-time environment says;
//   - outside the bundle (the worker, the log's sequencer and the CLIs, which
//     run under tsx and read the environment at run time) NODE_ENV must also be
//     "test". `npm start` runs them with NODE_ENV=production and removes the
//     test variables before anything reads them (scripts/start.mjs);
//   - the custom server's own code (fast paths) follows the build it serves:
//     followServedBuild, so a production build keeps it fixed too.
import { readFileSync } from "node:fs";

let overridable =
  process.env.ACCORD_TEST_BUILD === "1" &&
  (process.env.ACCORD_NEXT_BUNDLE === "1" || process.env.NODE_ENV === "test");
const clockFile = process.env.ACCORD_CLOCK_FILE ?? ".data/test-clock.json";

function offsetMs(): number {
  if (!overridable) return 0;
  try {
    const parsed: unknown = JSON.parse(readFileSync(/* turbopackIgnore: true */ clockFile, "utf8"));
    const offset = (parsed as { offsetMs?: unknown }).offsetMs;
    return typeof offset === "number" && Number.isFinite(offset) ? offset : 0;
  } catch {
    return 0;
  }
}

export function now(): Date {
  return new Date(Date.now() + offsetMs());
}

export function isClockOverridable(): boolean {
  return overridable;
}

/**
 * Called by the custom server (lib/server) with the project whose Next build
 * it serves: code it runs outside the bundle moves its clock only if that
 * build was made for tests (its recorded next.config env says so) and the
 * test flag is set. `distDir` defaults to next.config's (NEXT_DIST_DIR).
 */
export function followServedBuild(
  projectDir: string,
  // Plain strings, not path.join: the bundler's file tracer must not take
  // this for a reference to every file under the project.
  distDir = `${projectDir}/${process.env.NEXT_DIST_DIR || ".next"}`,
): void {
  if (process.env.ACCORD_TEST_BUILD !== "1") return;
  try {
    const files = JSON.parse(
      readFileSync(/* turbopackIgnore: true */ `${distDir}/required-server-files.json`, "utf8"),
    ) as { config?: { env?: Record<string, string> } };
    if (files.config?.env?.ACCORD_TEST_BUILD === "1") overridable = true;
  } catch {
    // not a built app: nothing to follow
  }
}
