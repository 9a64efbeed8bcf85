// Time is an input: everything that depends on "now" asks this module, so tests
// can move time without sleeping. The override is honoured only by builds made
// for tests: next.config inlines ACCORD_TEST_BUILD at build time, so a
// production build ignores any override file or variable at run time.
import { readFileSync } from "node:fs";

const overridable = process.env.ACCORD_TEST_BUILD === "1";
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
