// Keys kept per process by the keyed status read (lib/api-keys/key-cache.ts):
// every change a kept key could miss is seen by the next read, in any process.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pool } from "@/lib/db";
import type { AccordServer } from "@/lib/server/create-server";
import { startFastPathServer } from "@/tests/helpers/fast-path-server";
import { createApiKey, revokeApiKey } from "@/lib/api-keys/api-keys";
import { apiKeySha256 } from "@/lib/api-keys/key-format";
import type { ApiScopeName } from "@/lib/api-keys/scopes";
import { keyedExternalStatus } from "@/lib/service-api/status";

const cli = { actor: null, meta: null, via: "cli" as const };
let server: AccordServer;

async function newKey(scopes: ApiScopeName[] = ["status:read"]) {
  const created = await createApiKey(cli, {
    name: `kept ${randomUUID()}`,
    scopes,
    rateLimitPerMinute: 10_000,
  });
  if (!created.ok) throw new Error(created.message);
  return created.data;
}

async function status(key: string) {
  const response = await fetch(`${server.url}/api/v1/subjects/kept-${randomUUID()}/status`, {
    headers: { Authorization: `Bearer ${key}` },
  });
  const body = (await response.json()) as { error?: { code: string } };
  return { status: response.status, code: body.error?.code };
}

const revision = async () =>
  (await pool.query<{ revision: string }>("SELECT revision::text FROM catalog_revision WHERE id")).rows[0]
    ?.revision;

beforeAll(async () => {
  server = await startFastPathServer();
});

afterAll(async () => {
  await server?.close();
});

describe("keys kept by the status read", () => {
  it("refuse a revoked key at the first read after the revocation", async () => {
    const key = await newKey();
    expect(await status(key.key)).toEqual({ status: 200, code: undefined });
    expect(await status(key.key)).toEqual({ status: 200, code: undefined });
    const revoked = await revokeApiKey(cli, key.id);
    expect(revoked.ok).toBe(true);
    expect(await status(key.key)).toEqual({ status: 401, code: "api_key_revoked" });
  });

  it("see new scopes at once, even when changed outside the app", async () => {
    const key = await newKey(["status:read", "consent:write"]);
    expect((await status(key.key)).status).toBe(200);
    expect((await status(key.key)).status).toBe(200);
    await pool.query(`UPDATE api_keys SET scopes = '{consent:write}' WHERE id = $1`, [key.id]);
    expect(await status(key.key)).toEqual({ status: 403, code: "insufficient_scope" });
    await pool.query(`UPDATE api_keys SET scopes = '{status:read}' WHERE id = $1`, [key.id]);
    expect((await status(key.key)).status).toBe(200);
  });

  it("move the revision for what a kept key could miss, and not for its use or a new key", async () => {
    const key = await newKey();
    const initial = await revision();
    await newKey();
    await pool.query(`UPDATE api_keys SET last_used_at = now() WHERE id = $1`, [key.id]);
    expect(await revision()).toBe(initial);
    await pool.query(`UPDATE api_keys SET rate_limit_per_minute = 5 WHERE id = $1`, [key.id]);
    const limited = await revision();
    expect(Number(limited)).toBeGreaterThan(Number(initial));
    await pool.query(`UPDATE api_keys SET name = 'renamed' WHERE id = $1`, [key.id]);
    expect(Number(await revision())).toBeGreaterThan(Number(limited));
  });

  it("still record a kept key's use once a minute", async () => {
    const key = await newKey();
    const sha = apiKeySha256(key.key);
    const t0 = new Date("2031-05-01T10:00:00.000Z");
    const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000);
    // Never used: this read records the use (decideKey), and the key is kept from it.
    expect((await keyedExternalStatus(sha, "someone", t0)).key?.key_use_stale).toBe(true);
    // Kept: half a minute later nothing is due (the row, never written here, would say otherwise).
    expect((await keyedExternalStatus(sha, "someone", at(30))).key?.key_use_stale).toBe(false);
    expect((await keyedExternalStatus(sha, "someone", at(59))).key?.key_use_stale).toBe(false);
    // A minute after: due once, then not again within the minute.
    expect((await keyedExternalStatus(sha, "someone", at(61))).key?.key_use_stale).toBe(true);
    expect((await keyedExternalStatus(sha, "someone", at(62))).key?.key_use_stale).toBe(false);
  });
});
