/** Exponential backoff: base, 2×base, 4×base, … capped. Pure so it can be unit-tested. */
export function retryDelayMs(attempts: number, baseDelayMs: number, maxDelayMs: number): number {
  return Math.min(maxDelayMs, baseDelayMs * 2 ** Math.max(0, attempts - 1));
}
