import "server-only";
import { RateLimiterMemory, RateLimiterPostgres, RateLimiterRes } from "rate-limiter-flexible";
import { pool } from "@/lib/db";

// Each key's own limit of requests per minute, shared by every process that
// serves the API (several `npm start` processes, the worker, the CLI), on
// PostgreSQL and on the embedded database alike.
//
// The count lives in Postgres (rate-limiter-flexible's RateLimiterPostgres,
// table rate_limits, as the sign-in limits), but a keyed request must not pay
// a write of its own: every write to one key's row queues behind the previous
// one's commit, which would cap a key at a few hundred requests a second. So
// a process takes points from the shared count in *leases* (one atomic
// consume of several points) and hands them out from memory:
//   - a lease is `leaseSize(limit)` points (1 for small limits, a 600th of the
//     limit for large ones): one database write per lease, never per request;
//   - a lease lasts until the shared window ends; points it did not use are
//     lost then (at most one lease per process and key per minute);
//   - the shared count never admits more than the limit: when fewer points
//     than a lease are left, the process gets exactly those;
//   - requests that find the lease empty at once wait for one refill together
//     (and take another if it did not suffice);
//   - a key over its limit is refused from memory until the window ends
//     (inMemoryBlockOnConsumed), so an abusive client costs no writes;
//   - if the database cannot be reached, each process counts on its own
//     (insuranceLimiter, RateLimiterMemory), as before this change.
// docs/integration.md ("A key") states the trade-off.

export interface KeyQuota {
  limit: number;
  remaining: number;
  /** Seconds until the window resets. */
  resetSeconds: number;
}

export type KeyThrottle = ({ limited: false } | { limited: true; retryAfterSeconds: number }) & KeyQuota;

const WINDOW_SECONDS = 60;

/** Points a process takes from the shared count at a time, for a key allowed `perMinute`. */
export function leaseSize(perMinute: number): number {
  return Math.max(1, Math.floor(perMinute / 600));
}

interface Lease {
  /** Points this process may still hand out. */
  left: number;
  /** When the shared window ends (ms since the epoch); the lease dies with it. */
  endsAt: number;
  /** The shared count after this lease was taken. */
  consumed: number;
  limit: number;
}

export interface KeyRateLimiter {
  consume(keyId: string, perMinute: number): Promise<KeyThrottle>;
}

export interface KeyRateLimiterOptions {
  /** The pg pool the shared count is kept through (default: the app's). */
  storeClient?: unknown;
}

/** A limiter with its own leases: one per process (tests make several to stand for processes). */
export function createKeyRateLimiter(options: KeyRateLimiterOptions = {}): KeyRateLimiter {
  const stores = new Map<number, RateLimiterPostgres>();
  const leases = new Map<string, Lease>();
  const refills = new Map<string, Promise<void>>();

  const storeFor = (perMinute: number): RateLimiterPostgres => {
    let store = stores.get(perMinute);
    if (!store) {
      store = new RateLimiterPostgres({
        storeClient: options.storeClient ?? pool,
        storeType: "pool",
        tableName: "rate_limits",
        tableCreated: true,
        keyPrefix: "api_key",
        points: perMinute,
        duration: WINDOW_SECONDS,
        inMemoryBlockOnConsumed: perMinute,
        insuranceLimiter: new RateLimiterMemory({
          keyPrefix: "api_key_insurance",
          points: perMinute,
          duration: WINDOW_SECONDS,
        }),
      });
      stores.set(perMinute, store);
    }
    return store;
  };

  /** Takes a lease from the shared count: all of it, part of it (the last points), or none. */
  const refill = async (keyId: string, perMinute: number): Promise<void> => {
    const size = leaseSize(perMinute);
    let result: RateLimiterRes;
    let granted: number;
    try {
      result = await storeFor(perMinute).consume(keyId, size);
      granted = size;
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      result = rejection;
      // Refused from the database: the points that were left before this
      // consume are ours. Refused from memory (a blocked key): none.
      const before = rejection.consumedPoints - size;
      granted = rejection.consumedPoints > 0 ? Math.min(size, Math.max(0, perMinute - before)) : 0;
    }
    leases.set(keyId, {
      left: granted,
      endsAt: Date.now() + Math.max(1000, result.msBeforeNext),
      consumed: Math.min(perMinute, result.consumedPoints || perMinute),
      limit: perMinute,
    });
  };

  const usable = (lease: Lease | undefined, perMinute: number): lease is Lease =>
    lease !== undefined && lease.limit === perMinute && Date.now() < lease.endsAt;

  const take = (lease: Lease): KeyThrottle | undefined => {
    const resetSeconds = Math.max(1, Math.ceil((lease.endsAt - Date.now()) / 1000));
    if (lease.left <= 0) return undefined;
    lease.left--;
    return {
      limited: false,
      limit: lease.limit,
      remaining: Math.max(0, lease.limit - lease.consumed + lease.left),
      resetSeconds,
    };
  };

  const refused = (lease: Lease): KeyThrottle => {
    const seconds = Math.max(1, Math.ceil((lease.endsAt - Date.now()) / 1000));
    return {
      limited: true,
      retryAfterSeconds: seconds,
      limit: lease.limit,
      remaining: 0,
      resetSeconds: seconds,
    };
  };

  return {
    async consume(keyId, perMinute) {
      // Each round either hands out a point or takes a lease from the shared
      // count, which ends once the count is spent: the rounds are bounded by
      // the limit. The cap only guards against a limit changing under a burst.
      for (let round = 0; round < 100; round++) {
        const lease = leases.get(keyId);
        if (usable(lease, perMinute)) {
          const taken = take(lease);
          if (taken) return taken;
          // Spent here, and nothing was left in the shared count when it was taken.
          if (lease.consumed >= perMinute) return refused(lease);
        }
        let pending = refills.get(keyId);
        if (!pending) {
          pending = refill(keyId, perMinute).finally(() => refills.delete(keyId));
          refills.set(keyId, pending);
        }
        await pending;
      }
      return refused({ left: 0, endsAt: Date.now() + 1000, consumed: perMinute, limit: perMinute });
    },
  };
}

// Kept on globalThis so the custom server's fast paths and Next's bundle,
// which load this module separately, share one set of leases per process.
const globalForLimits = globalThis as unknown as { accordApiKeyLimiter?: KeyRateLimiter };
const processLimiter = (globalForLimits.accordApiKeyLimiter ??= createKeyRateLimiter());

/** Counts one request against the key's per-minute limit (shared by every process). */
export function consumeKeyRequest(keyId: string, perMinute: number): Promise<KeyThrottle> {
  return processLimiter.consume(keyId, perMinute);
}

/** IETF RateLimit header fields (draft-ietf-httpapi-ratelimit-headers), sent with every keyed answer. */
export function quotaHeaders(quota: KeyQuota): Record<string, string> {
  return {
    "RateLimit-Limit": String(quota.limit),
    "RateLimit-Remaining": String(quota.remaining),
    "RateLimit-Reset": String(quota.resetSeconds),
  };
}
