import "server-only";
import { pool } from "@/lib/db";
import { now } from "@/lib/clock";
import { fail, type Failure } from "@/lib/result";
import { apiKeySha256, bearerCredential, isWellFormedApiKey } from "@/lib/api-keys/key-format";
import { consumeKeyRequest, quotaHeaders, type KeyQuota } from "@/lib/api-keys/rate-limit";
import type { ApiScopeName } from "@/lib/api-keys/scopes";

/** The caller of a keyed request. */
export interface ApiKeyCaller {
  kind: "api-key";
  id: string;
  name: string;
  scopes: ApiScopeName[];
  quota: KeyQuota;
}

export interface KeyRow {
  key_id: string;
  key_name: string;
  key_scopes: ApiScopeName[];
  key_rate_limit: number;
  key_revoked: boolean;
  /** The time of last use is a minute old or was never set: decideKey records this use. */
  key_use_stale: boolean;
  /** The time of last use (ms since the epoch), or null: kept keys record their next use a minute after it. */
  key_used_ms: number | null;
}

/**
 * The key lookup as a common table expression, for statements that do more
 * in the same round trip (the hot status read in lib/service-api). $1 is the
 * key's SHA-256, $2 the time now. `api_key` has one row when the key exists;
 * `key_use_stale` says whether its time of last use is a minute old (or
 * never set), so that decideKey records the use. The write is not part of
 * this statement: a data-modifying CTE made every read a write statement,
 * planned and executed as one, where one read a minute per key needs it.
 */
export const API_KEY_CTES = `
api_key AS (
  SELECT id::text AS key_id, name AS key_name, scopes::text[] AS key_scopes,
    rate_limit_per_minute AS key_rate_limit, revoked_at IS NOT NULL AS key_revoked,
    (last_used_at IS NULL OR last_used_at <= $2::timestamptz - interval '1 minute') AS key_use_stale,
    (extract(epoch FROM last_used_at) * 1000)::float8 AS key_used_ms
  FROM api_keys WHERE secret_sha256 = $1::bpchar
)`;

const LOOKUP_SQL = `WITH ${API_KEY_CTES} SELECT * FROM api_key`;

export type KeyCheck = { ok: true; caller: ApiKeyCaller } | (Failure & { headers?: Record<string, string> });

const CHALLENGE = { "WWW-Authenticate": 'Bearer realm="accord"' };

/** The credential from the Authorization header, or the refusal to send. */
export function readApiKey(
  authorization: string | null,
): { sha256: string } | (Failure & { headers: Record<string, string> }) {
  const credential = bearerCredential(authorization);
  if (credential === undefined)
    return {
      ...fail(401, "unauthenticated", "Send an API key as `Authorization: Bearer <key>`."),
      headers: CHALLENGE,
    };
  if (credential === null || !isWellFormedApiKey(credential))
    return {
      ...fail(401, "invalid_api_key", "The API key is not valid."),
      headers: { "WWW-Authenticate": 'Bearer realm="accord", error="invalid_token"' },
    };
  return { sha256: apiKeySha256(credential) };
}

const TOUCH_SQL = `UPDATE api_keys SET last_used_at = $2::timestamptz
  WHERE id = $1::uuid AND revoked_at IS NULL
    AND (last_used_at IS NULL OR last_used_at <= $2::timestamptz - interval '1 minute')`;

// Writes in flight, by key id: requests of one key that arrive together
// share one write instead of each sending its own.
const touches = new Map<string, Promise<unknown>>();

/**
 * Records the key's use, at most once a minute: the condition is on the row
 * itself, so requests that read the old time while another wrote it re-check
 * it after that commit and write nothing. Awaited, so the time is recorded
 * when the request is answered (one request a minute per key pays the write).
 */
async function recordKeyUse(keyId: string): Promise<void> {
  let pending = touches.get(keyId);
  if (!pending) {
    pending = pool
      .query({ name: "api-key-touch-v1", text: TOUCH_SQL, values: [keyId, now().toISOString()] })
      .finally(() => touches.delete(keyId));
    touches.set(keyId, pending);
  }
  await pending;
}

/**
 * Decides a keyed request from the looked-up row: unknown or revoked keys are
 * 401, a key without the scope 403, a key over its limit 429. Every decision
 * after the key is known counts against its limit.
 */
export async function decideKey(row: KeyRow | undefined, scope: ApiScopeName): Promise<KeyCheck> {
  if (!row)
    return {
      ...fail(401, "invalid_api_key", "The API key is not valid."),
      headers: { "WWW-Authenticate": 'Bearer realm="accord", error="invalid_token"' },
    };
  if (row.key_revoked)
    return {
      ...fail(401, "api_key_revoked", "This API key has been revoked."),
      headers: { "WWW-Authenticate": 'Bearer realm="accord", error="invalid_token"' },
    };
  if (row.key_use_stale) await recordKeyUse(row.key_id);
  const throttle = await consumeKeyRequest(row.key_id, row.key_rate_limit);
  const headers = quotaHeaders(throttle);
  if (throttle.limited)
    return {
      ...fail(429, "rate_limited", `This key is over its limit of ${row.key_rate_limit} requests a minute.`),
      headers: { ...headers, "Retry-After": String(throttle.retryAfterSeconds) },
    };
  if (!row.key_scopes.includes(scope))
    return {
      ...fail(403, "insufficient_scope", `This key lacks the scope "${scope}".`),
      headers: {
        ...headers,
        "WWW-Authenticate": `Bearer realm="accord", error="insufficient_scope", scope="${scope}"`,
      },
    };
  return {
    ok: true,
    caller: { kind: "api-key", id: row.key_id, name: row.key_name, scopes: row.key_scopes, quota: throttle },
  };
}

/** The key with this SHA-256 (recording its use), or undefined. One query. */
export async function lookupApiKey(sha256: string): Promise<KeyRow | undefined> {
  const { rows } = await pool.query<KeyRow>({
    name: "api-key-lookup-v3",
    text: LOOKUP_SQL,
    values: [sha256, now().toISOString()],
  });
  return rows[0];
}

/** Authenticates `Authorization: Bearer <key>` for a route that needs `scope`. One query. */
export async function authenticateApiKey(
  authorization: string | null,
  scope: ApiScopeName,
): Promise<KeyCheck> {
  const credential = readApiKey(authorization);
  if ("ok" in credential) return credential;
  return decideKey(await lookupApiKey(credential.sha256), scope);
}
