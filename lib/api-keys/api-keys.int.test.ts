import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { NextRequest } from "next/server";
import { pool, prisma } from "@/lib/db";
import { createApiKey, listApiKeys, revokeApiKey } from "./api-keys";
import { API_KEY_CTES, authenticateApiKey } from "./authenticate";
import { apiKeySha256 } from "./key-format";
import type { ApiScopeName } from "./scopes";

const cli = { actor: null, meta: null, via: "cli" as const };

async function newKey(scopes: ApiScopeName[], rateLimitPerMinute = 1000) {
  const created = await createApiKey(cli, { name: `test ${randomUUID()}`, scopes, rateLimitPerMinute });
  if (!created.ok) throw new Error(created.message);
  return created.data;
}

const bearer = (key: string) => `Bearer ${key}`;

describe("API keys", () => {
  it("stores only the key's SHA-256 and records the creation in the audit log", async () => {
    const key = await newKey(["status:read", "consent:write"]);
    const row = await pool.query(`SELECT * FROM api_keys WHERE id = $1`, [key.id]);
    expect(row.rows[0].secret_sha256).toBe(apiKeySha256(key.key));
    expect(JSON.stringify(row.rows[0])).not.toContain(key.key.slice(4));
    expect(row.rows[0].scopes).toBe("{status:read,consent:write}");
    const audit = await prisma.auditLogEntry.findFirstOrThrow({
      where: { targetId: key.id, action: "api_key.created" },
    });
    expect(audit.details).toMatchObject({
      name: key.name,
      scopes: ["status:read", "consent:write"],
      displayPrefix: key.displayPrefix,
      via: "cli",
    });
    expect(JSON.stringify(audit.details)).not.toContain(key.key.slice(4));
    expect((await listApiKeys()).find((k) => k.id === key.id)).toMatchObject({
      scopes: ["status:read", "consent:write"],
      revokedAt: null,
    });
  });

  it("refuses absent, malformed, unknown, revoked and out-of-scope keys", async () => {
    const key = await newKey(["status:read"]);
    expect(await authenticateApiKey(null, "status:read")).toMatchObject({
      status: 401,
      code: "unauthenticated",
    });
    expect(await authenticateApiKey("Basic abc", "status:read")).toMatchObject({
      status: 401,
      code: "invalid_api_key",
    });
    const unknown = `acc_${"A".repeat(43)}`;
    expect(await authenticateApiKey(bearer(unknown), "status:read")).toMatchObject({
      status: 401,
      code: "invalid_api_key",
    });
    expect(await authenticateApiKey(bearer(key.key), "consent:write")).toMatchObject({
      status: 403,
      code: "insufficient_scope",
    });
    const allowed = await authenticateApiKey(bearer(key.key), "status:read");
    expect(allowed).toMatchObject({ ok: true, caller: { id: key.id, scopes: ["status:read"] } });

    const revoked = await revokeApiKey(cli, key.id);
    expect(revoked.ok).toBe(true);
    expect(await authenticateApiKey(bearer(key.key), "status:read")).toMatchObject({
      status: 401,
      code: "api_key_revoked",
    });
    expect(await revokeApiKey(cli, key.id)).toMatchObject({ status: 409, code: "already_revoked" });
    expect(await revokeApiKey(cli, randomUUID())).toMatchObject({ status: 404 });
    expect(await prisma.auditLogEntry.count({ where: { targetId: key.id, action: "api_key.revoked" } })).toBe(
      1,
    );
  });

  it("finds a key through its unique index, whatever the number of keys", async () => {
    // secret_sha256 is character(64): compared with a text parameter, the
    // column was cast to text and every keyed request read the whole table.
    const client = await pool.connect();
    try {
      await client.query("SET plan_cache_mode = force_generic_plan");
      await client.query(`PREPARE key_lookup_plan(text, text) AS WITH ${API_KEY_CTES} SELECT * FROM api_key`);
      const plan = await client.query<{ "QUERY PLAN": string }>(
        `EXPLAIN EXECUTE key_lookup_plan('${apiKeySha256("acc_x")}', '2026-01-01T00:00:00Z')`,
      );
      const text = plan.rows.map((row) => row["QUERY PLAN"]).join("\n");
      expect(text).toContain("api_keys_secret_sha256_key");
      expect(text).not.toContain("Seq Scan on api_keys");
    } finally {
      await client.query("DEALLOCATE key_lookup_plan; RESET plan_cache_mode");
      client.release();
    }
  });

  it("records the time of use at most once a minute", async () => {
    const key = await newKey(["versions:read"]);
    const lastUsed = async () =>
      (await prisma.apiKey.findUniqueOrThrow({ where: { id: key.id } })).lastUsedAt;
    expect(await lastUsed()).toBeNull();
    await authenticateApiKey(bearer(key.key), "versions:read");
    const first = await lastUsed();
    expect(first).toBeInstanceOf(Date);
    await authenticateApiKey(bearer(key.key), "versions:read");
    expect(await lastUsed()).toEqual(first);
    await pool.query(
      `UPDATE api_keys SET last_used_at = last_used_at - interval '61 seconds' WHERE id = $1`,
      [key.id],
    );
    await authenticateApiKey(bearer(key.key), "versions:read");
    expect((await lastUsed())!.getTime()).toBeGreaterThan(first!.getTime() - 61_000);
  });

  it("enforces each key's own rate limit with 429 and Retry-After", async () => {
    const small = await newKey(["status:read"], 3);
    const other = await newKey(["status:read"], 3);
    const results = [];
    for (let i = 0; i < 4; i++) results.push(await authenticateApiKey(bearer(small.key), "status:read"));
    expect(results.slice(0, 3).every((r) => r.ok)).toBe(true);
    expect(results[3]).toMatchObject({ status: 429, code: "rate_limited" });
    const limited = results[3] as { headers: Record<string, string> };
    expect(Number(limited.headers["Retry-After"])).toBeGreaterThan(0);
    expect(limited.headers["RateLimit-Remaining"]).toBe("0");
    // Another key is counted on its own.
    expect((await authenticateApiKey(bearer(other.key), "status:read")).ok).toBe(true);
  });
});

describe("withRoute with API-key access", () => {
  it("serves versions with the scope, refuses without, and answers 304 to a matching ETag", async () => {
    const { GET } = await import("@/app/api/v1/versions/current/route");
    const reader = await newKey(["versions:read"]);
    const writer = await newKey(["consent:write"]);
    const call = (key: string | null, headers: Record<string, string> = {}) =>
      GET(
        new NextRequest("http://accord.test/api/v1/versions/current", {
          headers: { ...(key ? { authorization: bearer(key) } : {}), ...headers },
        }),
        { params: Promise.resolve({}) },
      );
    const none = await call(null);
    expect(none.status).toBe(401);
    expect(none.headers.get("www-authenticate")).toContain("Bearer");
    expect(await none.json()).toMatchObject({ error: { code: "unauthenticated" } });
    const wrong = await call(writer.key);
    expect(wrong.status).toBe(403);
    const ok = await call(reader.key);
    expect(ok.status).toBe(200);
    const body = await ok.json();
    expect(body).toMatchObject({ number: 1, purposes: expect.any(Array) });
    expect(body.bodySha256).toMatch(/^[0-9a-f]{64}$/);
    expect(ok.headers.get("ratelimit-limit")).toBe("1000");
    const etag = ok.headers.get("etag");
    expect(etag).toMatch(/^"/);
    const again = await call(reader.key, { "if-none-match": etag! });
    expect(again.status).toBe(304);
  });
});
