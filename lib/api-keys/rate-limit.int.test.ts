// Per-key limits shared by every process, against real Postgres. Each
// createKeyRateLimiter() stands for one process: its own leases, one shared
// count in rate_limits.
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { pool } from "@/lib/db";
import { createKeyRateLimiter, leaseSize, type KeyRateLimiter } from "./rate-limit";

/** The app's pool, counting the statements the limiter sends. */
function countingPool() {
  const counter = {
    statements: 0,
    query: (query: Parameters<typeof pool.query>[0]) => {
      counter.statements++;
      return pool.query(query);
    },
  };
  return counter;
}

async function burst(limiter: KeyRateLimiter, keyId: string, limit: number, requests: number) {
  const answers = await Promise.all(Array.from({ length: requests }, () => limiter.consume(keyId, limit)));
  return answers.filter((answer) => !answer.limited).length;
}

describe("a key's rate limit across processes", () => {
  it("admits exactly the limit between two processes, and refuses the rest with Retry-After", async () => {
    const keyId = randomUUID();
    const [a, b] = [createKeyRateLimiter(), createKeyRateLimiter()];
    const admitted = (await Promise.all([burst(a, keyId, 10, 8), burst(b, keyId, 10, 8)])).reduce(
      (x, y) => x + y,
    );
    expect(admitted).toBe(10);
    const refused = await a.consume(keyId, 10);
    expect(refused).toMatchObject({ limited: true, remaining: 0, limit: 10 });
    expect(refused.limited && refused.retryAfterSeconds).toBeGreaterThan(0);
    // Another key is counted on its own.
    expect((await b.consume(randomUUID(), 10)).limited).toBe(false);
  });

  it("takes large limits in leases: one statement per lease, never more than the limit", async () => {
    const keyId = randomUUID();
    const limit = 6000;
    const size = leaseSize(limit);
    expect(size).toBe(10);
    const stores = [countingPool(), countingPool()];
    const [a, b] = stores.map((store) => createKeyRateLimiter({ storeClient: store }));
    let admitted = 0;
    for (let round = 0; round < 70; round++)
      admitted += (await Promise.all([burst(a!, keyId, limit, 50), burst(b!, keyId, limit, 50)])).reduce(
        (x, y) => x + y,
      );
    // 7,000 asked: every point of the shared count handed out once, none twice.
    expect(admitted).toBe(limit);
    const statements = stores[0]!.statements + stores[1]!.statements;
    expect(statements).toBeLessThanOrEqual(limit / size + 4);
    // Once the key is spent, refusals come from memory.
    const before = stores[0]!.statements;
    for (let i = 0; i < 20; i++) expect((await a!.consume(keyId, limit)).limited).toBe(true);
    expect(stores[0]!.statements).toBe(before);
  });

  it("tells the key how much of its limit is left", async () => {
    const keyId = randomUUID();
    const limiter = createKeyRateLimiter();
    expect(await limiter.consume(keyId, 5)).toMatchObject({ limited: false, limit: 5, remaining: 4 });
    expect(await createKeyRateLimiter().consume(keyId, 5)).toMatchObject({ limited: false, remaining: 3 });
    expect(await limiter.consume(keyId, 5)).toMatchObject({ limited: false, remaining: 2 });
  });

  it("counts per process when the database cannot be reached (the insurance limiter)", async () => {
    const unreachable = {
      query: async () => {
        throw Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:1"), { code: "ECONNREFUSED" });
      },
    };
    const limiter = createKeyRateLimiter({ storeClient: unreachable });
    const keyId = randomUUID();
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push(await limiter.consume(keyId, 3));
    expect(answers.map((answer) => answer.limited)).toEqual([false, false, false, true]);
  });
});
