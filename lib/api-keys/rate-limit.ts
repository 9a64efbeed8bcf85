import "server-only";
import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";

// Each key's own limit, counted in this process's memory. A limit kept in
// Postgres (as sign-in limits are) would add a write to every API request,
// the path that must stay cheapest; `npm start` serves from one process, so
// the count is exact there. With several app processes each counts on its
// own (docs/integration.md). Kept on globalThis so the custom server's fast
// paths and Next's bundle, which load this module separately, share counts.
const globalForLimits = globalThis as unknown as {
  accordApiKeyLimiters?: Map<string, RateLimiterMemory>;
};
const limiters = (globalForLimits.accordApiKeyLimiters ??= new Map());

export interface KeyQuota {
  limit: number;
  remaining: number;
  /** Seconds until the window resets. */
  resetSeconds: number;
}

export type KeyThrottle = ({ limited: false } | { limited: true; retryAfterSeconds: number }) & KeyQuota;

function limiterFor(keyId: string, perMinute: number): RateLimiterMemory {
  const existing = limiters.get(keyId);
  if (existing && existing.points === perMinute) return existing;
  const created = new RateLimiterMemory({ keyPrefix: "api_key", points: perMinute, duration: 60 });
  limiters.set(keyId, created);
  return created;
}

/** Counts one request against the key's per-minute limit. */
export async function consumeKeyRequest(keyId: string, perMinute: number): Promise<KeyThrottle> {
  const limiter = limiterFor(keyId, perMinute);
  try {
    const res = await limiter.consume(keyId, 1);
    return {
      limited: false,
      limit: perMinute,
      remaining: res.remainingPoints,
      resetSeconds: Math.ceil(res.msBeforeNext / 1000),
    };
  } catch (rejection) {
    if (!(rejection instanceof RateLimiterRes)) throw rejection;
    const seconds = Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
    return {
      limited: true,
      retryAfterSeconds: seconds,
      limit: perMinute,
      remaining: 0,
      resetSeconds: seconds,
    };
  }
}

/** IETF RateLimit header fields (draft-ietf-httpapi-ratelimit-headers), sent with every keyed answer. */
export function quotaHeaders(quota: KeyQuota): Record<string, string> {
  return {
    "RateLimit-Limit": String(quota.limit),
    "RateLimit-Remaining": String(quota.remaining),
    "RateLimit-Reset": String(quota.resetSeconds),
  };
}
