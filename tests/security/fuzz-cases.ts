// Generated hostile requests for every JSON route (issue 9, "Must hold"):
// shared by the in-process property test (tests/security/fuzz.int.test.ts,
// a hundred per route in `npm test`) and the benchmark-style run against a
// live server (bench/fuzz-routes.ts, ten thousand per route).
//
// Every generated request is invalid by construction (a wrong type, an
// unknown field, a NUL, a bad date, JSON that is not JSON, the wrong content
// type, a foreign origin …), so the properties are: no status ≥ 500, a 4xx
// for every write route, and no row written anywhere.
import fc from "fast-check";
import { tokenRequestBodySchema } from "@/lib/service-api/schemas";

export type Caller = "user" | "auditor" | "api-key" | "anonymous";

export interface FuzzRequest {
  method: "GET" | "POST" | "PATCH" | "DELETE";
  /** Path and query, already encoded (bytes of invalid UTF-8 included). */
  path: string;
  headers: Record<string, string>;
  body?: string;
}

export interface FuzzRoute {
  name: string;
  caller: Caller;
  /** Writes something when the input is valid: then every generated request must get a 4xx. */
  writes: boolean;
  request: fc.Arbitrary<FuzzRequest>;
}

/** Values of the wrong type for any field, and strings no field may hold. */
export const poison = fc.constantFrom<unknown>(
  [1],
  true,
  false,
  null,
  1.5,
  -1,
  0,
  1e308,
  {},
  [],
  "x\u0000y",
  "\u0000",
  { $gt: "" },
);

const junkString = fc.oneof(
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.constantFrom(
    "",
    " ",
    "\u0000",
    "1e3",
    "0x10",
    "-0",
    "NaN",
    "Infinity",
    "9".repeat(400),
    "../../etc/passwd",
  ),
);

/** Bytes as %XX, so a query can hold invalid UTF-8 and NUL. */
const percentBytes = fc
  .uint8Array({ minLength: 0, maxLength: 12 })
  .map((bytes) => [...bytes].map((b) => `%${b.toString(16).padStart(2, "0").toUpperCase()}`).join(""));

function encodeText(text: string): string {
  try {
    return encodeURIComponent(text);
  } catch {
    return "%FF"; // a lone surrogate: send a byte that is not UTF-8 instead
  }
}

const badDate = fc.constantFrom(
  "0000-01-01",
  "10000-01-01",
  "9999-12-31T23:00:00-05:00",
  "0001-01-01T00:30:00+01:00",
  "2024-02-30",
  "2024-13-01",
  "+010000-01-01",
  "2024-01-01T25:00Z",
  "yesterday",
);

const queryValue = fc.oneof(junkString.map(encodeText), percentBytes, badDate.map(encodeText));

/** A query string over the route's own keys and some foreign ones; `poisoned` adds one sure-invalid pair. */
function queryString(keys: readonly string[], poisoned: boolean): fc.Arbitrary<string> {
  const key = fc.oneof(fc.constantFrom(...keys), junkString.map(encodeText), percentBytes);
  const pairs = fc.array(fc.tuple(key, queryValue), { maxLength: 5 });
  const sure = fc.oneof(
    fc.constant("unknown=1"),
    fc.constantFrom(...keys).map((k) => `${k}=%00`),
    badDate.map((d) => `to=${encodeText(d)}`),
  );
  return fc
    .tuple(pairs, poisoned ? sure.map((s) => [s]) : fc.constant([] as string[]))
    .map(([list, extra]) => [...list.map(([k, v]) => `${k}=${v}`), ...extra].join("&"));
}

const contentType = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom("application/json", "application/json; charset=utf-8") },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      "text/plain",
      "application/x-www-form-urlencoded",
      "multipart/form-data; boundary=x",
      "application/jsonx",
      "",
    ),
  },
);

/** JSON bodies that no object schema accepts, given a valid base object. */
function invalidBody(base: Record<string, unknown>): fc.Arbitrary<string> {
  const fields = Object.keys(base);
  const poisoned =
    fields.length === 0
      ? fc.constant(JSON.stringify({ ...base, unknownField: 1 }))
      : fc
          .tuple(fc.constantFrom(...fields), poison)
          .map(([field, value]) => JSON.stringify({ ...base, [field]: value }));
  return fc.oneof(
    poisoned,
    // Required fields missing, junk ones present.
    fc
      .dictionary(junkString, fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 })
      .map((d) => JSON.stringify({ ...d, __unknown_field__: true })),
    // Not an object at all.
    fc
      .oneof(
        fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 3 }),
        fc.integer(),
        fc.boolean(),
        fc.constant(null),
      )
      .map((v) => JSON.stringify(v)),
    // Not JSON.
    fc.oneof(junkString, fc.constantFrom("{", '{"a":', "[1,", "\u0000", '{"a":1}{"b":2}', "")),
    // A NUL inside an otherwise fine body.
    fc
      .constantFrom(...(fields.length ? fields : ["x"]))
      .map((field) => JSON.stringify({ ...base, [field]: "a\u0000b" })),
  );
}

const origin = fc.oneof(
  { weight: 6, arbitrary: fc.constant<string | null>(null) },
  { weight: 1, arbitrary: fc.constantFrom("https://evil.example", "http://localhost:4119", "null") },
);

function withBody(
  method: "POST" | "PATCH",
  path: fc.Arbitrary<string>,
  base: Record<string, unknown>,
  extraHeaders: Record<string, string> = {},
): fc.Arbitrary<FuzzRequest> {
  return fc
    .record({ path, body: invalidBody(base), type: contentType, origin })
    .map(({ path: p, body, type, origin: o }) => ({
      method,
      path: p,
      body,
      headers: {
        ...(type ? { "content-type": type } : {}),
        ...(o ? { origin: o } : {}),
        ...extraHeaders,
      },
    }));
}

function post(
  path: fc.Arbitrary<string>,
  base: Record<string, unknown>,
  extraHeaders: Record<string, string> = {},
): fc.Arbitrary<FuzzRequest> {
  return withBody("POST", path, base, extraHeaders);
}

/**
 * A request to a route that takes no body (DELETE, or a POST that only names
 * its target in the path): sometimes a junk body anyway, any content type, a
 * stray query.
 */
function bodiless(method: "POST" | "DELETE", path: fc.Arbitrary<string>): fc.Arbitrary<FuzzRequest> {
  return fc
    .record({
      path,
      query: fc.option(queryString(["format"], false), { nil: undefined }),
      body: fc.option(fc.oneof(junkString, invalidBody({})), { nil: undefined }),
      type: fc.option(contentType, { nil: undefined }),
      origin,
    })
    .map(({ path: p, query, body, type, origin: o }) => ({
      method,
      path: query ? `${p}?${query}` : p,
      ...(body === undefined ? {} : { body }),
      headers: {
        ...(type ? { "content-type": type } : {}),
        ...(o ? { origin: o } : {}),
      },
    }));
}

function get(prefix: string, keys: readonly string[], poisoned = false): fc.Arbitrary<FuzzRequest> {
  return getAt(fc.constant(prefix), keys, poisoned);
}

/** A GET of a generated path (path parameters in it) with a generated query. */
function getAt(
  path: fc.Arbitrary<string>,
  keys: readonly string[],
  poisoned = false,
): fc.Arbitrary<FuzzRequest> {
  return fc.tuple(path, queryString(keys, poisoned)).map(([p, q]) => ({
    method: "GET" as const,
    path: q ? `${p}?${q}` : p,
    headers: {},
  }));
}

/** Ids in a path that name nothing: random UUIDs (any case), the nil UUID, junk, raw bytes. */
const unknownId = fc.oneof(
  fc.uuid(),
  fc.uuid().map((id) => id.toUpperCase()),
  fc.constantFrom("00000000-0000-0000-0000-000000000000", "ffffffff-ffff-ffff-ffff-ffffffffffff"),
  junkString.map(encodeText),
  percentBytes,
);

/** Delivery ids: unknown numbers (up to bigint's edge and past it), junk. */
const unknownDeliveryId = fc.oneof(
  fc.bigInt({ min: 1n, max: 10n ** 18n - 1n }).map(String),
  fc.constantFrom("0", "-1", "1.5", "1e3", "9".repeat(18), "9".repeat(19), "9223372036854775808"),
  junkString.map(encodeText),
  percentBytes,
);

/** Version numbers: unpublished ones, the bounds of int4 and junk. */
const versionNumber = fc.oneof(
  fc.integer({ min: 1_000_000, max: 999_999_999 }).map(String),
  fc.constantFrom("0", "01", "-1", "1.0", "1e3", "2147483647", "2147483648", "9999999999", "current"),
  junkString.map(encodeText),
  percentBytes,
);

/**
 * A subject id segment that fails the service API's subject id rule once
 * decoded (a space, a NUL, a %, 129 characters, nothing), so a route that
 * would write for a valid one never gets that far.
 */
const invalidSubjectPath = fc.oneof(
  junkString.map((s) => `${encodeText(s)}%20`),
  percentBytes.map((p) => `${p}%00`),
  fc.constantFrom("x".repeat(129), "", "%25", "a%2Fb", "%C3%A9"),
);

/** True when the token route would accept this body (and so issue a token, maybe making a key). */
function tokenBodyAccepted(body: string | undefined): boolean {
  let raw: unknown;
  try {
    raw = (body ?? "").trim() === "" ? {} : JSON.parse(body ?? "");
  } catch {
    return false;
  }
  return tokenRequestBodySchema.safeParse(raw).success;
}

const sha = "a".repeat(64);
const AUDIT_FILTERS = ["from", "to", "user", "purpose", "action", "version", "method"] as const;

/** The JSON routes and their hostile inputs. Subject ids in paths are generated too. */
export function fuzzRoutes(): FuzzRoute[] {
  const subjectPath = fc.oneof(fc.constant("fuzz-subject"), junkString.map(encodeText), percentBytes);
  return [
    {
      name: "POST /api/v1/me/consent",
      caller: "user",
      writes: true,
      request: post(fc.constant("/api/v1/me/consent"), {
        purposeKey: "surveys",
        action: "grant",
        versionNumber: 1,
      }),
    },
    {
      name: "POST /api/v1/log/cosignatures",
      caller: "anonymous",
      writes: true,
      request: post(fc.constant("/api/v1/log/cosignatures"), { cosigned: "— witness 1234 AAAA" }),
    },
    {
      name: "POST /api/v1/webhooks",
      caller: "api-key",
      writes: true,
      request: post(fc.constant("/api/v1/webhooks"), {
        url: "https://hooks.example.com/accord",
        description: "fuzz",
        eventTypes: ["consent.changed"],
      }),
    },
    {
      name: "POST /api/v1/hosted-links",
      caller: "api-key",
      writes: true,
      request: post(fc.constant("/api/v1/hosted-links"), {
        subjectId: "fuzz-subject",
        flow: "consent",
        returnUrl: "https://app.example.com/back",
      }),
    },
    {
      name: "POST /api/v1/subjects/{subjectId}/consent",
      caller: "api-key",
      writes: true,
      request: post(
        subjectPath.map((s) => `/api/v1/subjects/${s}/consent`),
        { decision: "accept-agreement", versionNumber: 1, noticeSha256: sha, evidence: {} },
        { "idempotency-key": "fuzz-key" },
      ),
    },
    {
      name: "GET /api/v1/audit/exports (always one invalid parameter)",
      caller: "auditor",
      writes: true,
      request: get("/api/v1/audit/exports", [...AUDIT_FILTERS, "format", "exportId"], true),
    },
    {
      name: "GET /api/v1/audit/events",
      caller: "auditor",
      writes: false,
      request: get("/api/v1/audit/events", [...AUDIT_FILTERS, "cursor", "limit", "count"]),
    },
    {
      name: "GET /api/v1/audit/dashboards",
      caller: "auditor",
      writes: false,
      request: get("/api/v1/audit/dashboards", ["weeks"]),
    },
    {
      name: "GET /api/v1/me/events",
      caller: "user",
      writes: false,
      request: get("/api/v1/me/events", ["before"]),
    },
    {
      name: "GET /api/v1/log/inclusion",
      caller: "anonymous",
      writes: false,
      request: get("/api/v1/log/inclusion", ["eventId", "treeSize", "leaf", "size"]),
    },
    {
      name: "GET /api/v1/log/consistency",
      caller: "anonymous",
      writes: false,
      request: get("/api/v1/log/consistency", ["from", "to"]),
    },
    {
      name: "POST /api/v1/subjects/status",
      caller: "api-key",
      writes: false,
      request: post(fc.constant("/api/v1/subjects/status"), { subjectIds: ["fuzz-subject", "other"] }),
    },
    {
      name: "GET /api/v1/subjects/{subjectId}/status",
      caller: "api-key",
      writes: false,
      request: getAt(
        subjectPath.map((s) => `/api/v1/subjects/${s}/status`),
        ["subjectId"],
      ),
    },
    {
      // A valid request issues a token, and the first one makes a signing key:
      // either the subject id is invalid (any body), or the body is.
      name: "POST /api/v1/subjects/{subjectId}/token",
      caller: "api-key",
      writes: true,
      request: fc.oneof(
        post(
          invalidSubjectPath.map((s) => `/api/v1/subjects/${s}/token`),
          { ttlSeconds: 300, audience: "fuzz" },
        ),
        post(fc.constant("/api/v1/subjects/fuzz-subject/token"), { ttlSeconds: 300 }).filter(
          (request) => !tokenBodyAccepted(request.body),
        ),
      ),
    },
    {
      name: "GET /api/v1/versions",
      caller: "api-key",
      writes: false,
      request: get("/api/v1/versions", ["format"]),
    },
    {
      name: "GET /api/v1/versions/current",
      caller: "api-key",
      writes: false,
      request: get("/api/v1/versions/current", ["format"]),
    },
    {
      name: "GET /api/v1/versions/{number}",
      caller: "api-key",
      writes: false,
      request: getAt(
        versionNumber.map((n) => `/api/v1/versions/${n}`),
        ["number"],
      ),
    },
    {
      name: "GET /api/v1/me/consent",
      caller: "user",
      writes: false,
      request: get("/api/v1/me/consent", ["purposeKey"]),
    },
    {
      name: "GET /api/v1/me/data",
      caller: "user",
      writes: false,
      request: get("/api/v1/me/data", ["download", "format"]),
    },
    {
      name: "GET /api/v1/me/receipts/{eventId}",
      caller: "user",
      writes: false,
      request: getAt(
        unknownId.map((id) => `/api/v1/me/receipts/${id}`),
        ["download"],
      ),
    },
    {
      name: "GET /api/v1/audit/events/{id}",
      caller: "auditor",
      writes: false,
      request: getAt(
        unknownId.map((id) => `/api/v1/audit/events/${id}`),
        ["format"],
      ),
    },
    {
      name: "GET /api/v1/audit/events/{id}/receipt",
      caller: "auditor",
      writes: false,
      request: getAt(
        unknownId.map((id) => `/api/v1/audit/events/${id}/receipt`),
        ["download"],
      ),
    },
    {
      name: "GET /api/v1/audit/exports/{id}/manifest",
      caller: "auditor",
      writes: false,
      request: getAt(
        unknownId.map((id) => `/api/v1/audit/exports/${id}/manifest`),
        ["download"],
      ),
    },
    {
      name: "GET /api/v1/webhooks",
      caller: "api-key",
      writes: false,
      request: get("/api/v1/webhooks", ["limit"]),
    },
    {
      name: "GET /api/v1/webhooks/{endpointId}",
      caller: "api-key",
      writes: false,
      request: getAt(
        unknownId.map((id) => `/api/v1/webhooks/${id}`),
        ["limit"],
      ),
    },
    {
      name: "PATCH /api/v1/webhooks/{endpointId}",
      caller: "api-key",
      writes: true,
      request: withBody(
        "PATCH",
        unknownId.map((id) => `/api/v1/webhooks/${id}`),
        { enabled: false },
      ),
    },
    {
      name: "DELETE /api/v1/webhooks/{endpointId}",
      caller: "api-key",
      writes: true,
      request: bodiless(
        "DELETE",
        unknownId.map((id) => `/api/v1/webhooks/${id}`),
      ),
    },
    {
      name: "POST /api/v1/webhooks/{endpointId}/test",
      caller: "api-key",
      writes: true,
      request: bodiless(
        "POST",
        unknownId.map((id) => `/api/v1/webhooks/${id}/test`),
      ),
    },
    {
      name: "POST /api/v1/webhooks/{endpointId}/deliveries/{deliveryId}/replay",
      caller: "api-key",
      writes: true,
      request: bodiless(
        "POST",
        fc
          .tuple(unknownId, unknownDeliveryId)
          .map(([id, delivery]) => `/api/v1/webhooks/${id}/deliveries/${delivery}/replay`),
      ),
    },
    {
      name: "GET /api/v1/openapi.json",
      caller: "anonymous",
      writes: false,
      request: get("/api/v1/openapi.json", ["format"]),
    },
  ];
}

/** The tables a request could write; counted before and after a run. */
export const WRITTEN_TABLES = [
  "users",
  "consent_events",
  "consent_states",
  "audit_log",
  "agreement_versions",
  "ledger_cosignatures",
  "rights_requests",
  "webhook_endpoints",
  "webhook_deliveries",
  "external_subjects",
  "consent_subjects",
  "token_signing_keys",
  "hosted_return_urls",
  "hosted_link_uses",
] as const;
