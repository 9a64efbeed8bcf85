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
}

/**
 * The key lookup as common table expressions, for statements that do more
 * in the same round trip (the hot status read in lib/service-api). $1 is the
 * key's SHA-256, $2 the time now. `api_key` has one row when the key exists.
 * `touched` records the time of use at most once a minute: the condition is
 * on the row itself, so concurrent requests re-check it after the first one
 * commits and skip, instead of all writing.
 */
export const API_KEY_CTES = `
api_key AS (
  SELECT id::text AS key_id, name AS key_name, scopes::text[] AS key_scopes,
    rate_limit_per_minute AS key_rate_limit, revoked_at IS NOT NULL AS key_revoked
  FROM api_keys WHERE secret_sha256 = $1
), touched AS (
  UPDATE api_keys a SET last_used_at = $2::timestamptz FROM api_key k
  WHERE a.id = k.key_id::uuid AND NOT k.key_revoked
    AND (a.last_used_at IS NULL OR a.last_used_at <= $2::timestamptz - interval '1 minute')
  RETURNING a.id
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
    name: "api-key-lookup-v1",
    text: LOOKUP_SQL,
    values: [sha256, now()],
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
