// The service API over real HTTP, through the custom server's fast path (the
// way `npm start` serves it), against the integration database.
import { randomUUID } from "node:crypto";
import { request as httpRequest } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from "jose";
import { NextRequest } from "next/server";
import { pool } from "@/lib/db";
import type { AccordServer } from "@/lib/server/create-server";
import { startFastPathServer } from "@/tests/helpers/fast-path-server";
import { createApiKey, revokeApiKey } from "@/lib/api-keys/api-keys";
import { API_SCOPES, type ApiScopeName } from "@/lib/api-keys/scopes";
import { getVersionInEffect } from "@/lib/agreements/versions";
import { addReturnUrl } from "@/lib/hosted/return-urls";

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  json: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- answers are checked field by field
}

let server: AccordServer;
let keys: Record<ApiScopeName | "all", string>;
let revoked: string;
let body: { sha256: string; number: number; translation: { sha256: string; locale: string } };
const cli = { actor: null, meta: null, via: "cli" as const };

async function newKey(scopes: ApiScopeName[]): Promise<{ key: string; id: string }> {
  const created = await createApiKey(cli, {
    name: `svc ${randomUUID()}`,
    scopes,
    rateLimitPerMinute: 100_000,
  });
  if (!created.ok) throw new Error(created.message);
  return created.data;
}

function call(
  method: string,
  path: string,
  options: { key?: string | null; body?: unknown; raw?: string; headers?: Record<string, string> } = {},
): Promise<Answer> {
  const payload = options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  const url = new URL(path, server.url);
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      url,
      {
        method,
        headers: {
          ...(options.key ? { Authorization: `Bearer ${options.key}` } : {}),
          ...(payload === undefined
            ? {}
            : { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(payload) }),
          ...options.headers,
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            json: text ? JSON.parse(text) : null,
          });
        });
      },
    );
    request.on("error", reject);
    request.end(payload);
  });
}

const accept = () => ({
  decision: "accept-agreement",
  versionNumber: body.number,
  noticeSha256: body.sha256,
  evidence: { ipAddress: "203.0.113.77", userAgent: "IMApp/7.2 (iOS 19.1)", locale: "zh-CN" },
});
const grant = (purposeKey: string, decision: "grant" | "withdraw" = "grant") => ({
  decision,
  purposeKey,
  evidence: { ipAddress: "2001:db8:1234:5678::1" },
});

beforeAll(async () => {
  server = await startFastPathServer(async (_request, response) => {
    response.writeHead(418, { "Content-Type": "application/json" });
    response.end(JSON.stringify({ error: { code: "reached_next", message: "not a fast path" } }));
  });
  // One after another: Prisma gives a transaction 2 s to start, which six at
  // once on a loaded machine did not always get.
  const entries: (readonly [ApiScopeName | "all", { key: string; id: string }])[] = [];
  for (const [name, scopes] of [
    ...API_SCOPES.map((scope) => [scope, [scope]] as const),
    ["all", [...API_SCOPES]] as const,
  ])
    entries.push([name, await newKey([...scopes])] as const);
  keys = Object.fromEntries(entries.map(([name, key]) => [name, key.key])) as typeof keys;
  // Every key may return users here, so only the scope decides a hosted link.
  for (const [, key] of entries) {
    const allowed = await addReturnUrl(
      { actor: null, meta: { ipTruncated: null, userAgent: "vitest" } },
      { apiKeyId: key.id, urlPrefix: "https://im.example/consent" },
    );
    if (!allowed.ok) throw new Error(allowed.message);
  }
  const toRevoke = await newKey([...API_SCOPES]);
  await revokeApiKey(cli, toRevoke.id);
  revoked = toRevoke.key;
  const version = await getVersionInEffect();
  const translated = await pool.query<{ body_sha256: string; locale: string }>(
    "SELECT body_sha256, locale FROM agreement_translations WHERE version_id = $1 AND published_at IS NOT NULL LIMIT 1",
    [version!.id],
  );
  const translation = translated.rows[0]!;
  body = {
    sha256: version!.bodySha256,
    number: version!.number!,
    translation: { sha256: translation.body_sha256, locale: translation.locale },
  };
});

afterAll(async () => {
  await server?.close();
});

describe("authorisation: every endpoint × every scope, absent, revoked and wrong keys", () => {
  type Endpoint = {
    name: string;
    scope: ApiScopeName;
    /** Calls it with this key (null: no Authorization header). */
    send(key: string | null): Promise<Answer>;
    ok: number[];
  };
  type RouteGet = (request: NextRequest, segment: { params: Promise<never> }) => Promise<Response>;
  const viaRoute =
    (load: () => Promise<{ GET: RouteGet }>, params: Record<string, string> = {}) =>
    async (key: string | null): Promise<Answer> => {
      const { GET } = await load();
      const response: Response = await GET(
        new NextRequest("http://accord.test/api/v1/versions", {
          headers: key ? { authorization: `Bearer ${key}` } : {},
        }),
        { params: Promise.resolve(params as never) },
      );
      return { status: response.status, headers: {}, json: await response.json() };
    };
  type RoutePost = (request: NextRequest, segment: { params: Promise<never> }) => Promise<Response>;
  const postViaRoute =
    (load: () => Promise<{ POST: RoutePost }>, payload: unknown) =>
    async (key: string | null): Promise<Answer> => {
      const { POST } = await load();
      const text = JSON.stringify(payload);
      const response: Response = await POST(
        new NextRequest("http://accord.test/api/v1/hosted-links", {
          method: "POST",
          headers: {
            "content-type": "application/json",
            "content-length": String(Buffer.byteLength(text)),
            ...(key ? { authorization: `Bearer ${key}` } : {}),
          },
          body: text,
        }),
        { params: Promise.resolve({} as never) },
      );
      return { status: response.status, headers: {}, json: await response.json() };
    };
  const endpoints: Endpoint[] = [
    {
      name: "POST /api/v1/hosted-links",
      scope: "consent:write",
      send: postViaRoute(() => import("@/app/api/v1/hosted-links/route"), {
        subjectId: "authz-hosted",
        flow: "reconsent",
        returnUrl: "https://im.example/consent/done",
      }),
      ok: [201],
    },
    {
      name: "GET /api/v1/subjects/{id}/status",
      scope: "status:read",
      send: (key) => call("GET", `/api/v1/subjects/authz-${randomUUID()}/status`, { key }),
      ok: [200],
    },
    {
      name: "POST /api/v1/subjects/status",
      scope: "status:read",
      send: (key) => call("POST", "/api/v1/subjects/status", { key, body: { subjectIds: ["a", "b"] } }),
      ok: [200],
    },
    {
      name: "POST /api/v1/subjects/{id}/consent",
      scope: "consent:write",
      send: (key) =>
        call("POST", `/api/v1/subjects/authz-${randomUUID()}/consent`, {
          key,
          body: accept(),
          headers: { "Idempotency-Key": randomUUID() },
        }),
      ok: [201],
    },
    {
      name: "POST /api/v1/subjects/{id}/token",
      scope: "status:read",
      send: (key) => call("POST", `/api/v1/subjects/authz-${randomUUID()}/token`, { key, body: {} }),
      ok: [200],
    },
    {
      name: "GET /api/v1/versions",
      scope: "versions:read",
      send: viaRoute(() => import("@/app/api/v1/versions/route")),
      ok: [200],
    },
    {
      name: "GET /api/v1/versions/current",
      scope: "versions:read",
      send: viaRoute(() => import("@/app/api/v1/versions/current/route")),
      ok: [200],
    },
    {
      name: "GET /api/v1/versions/{number}",
      scope: "versions:read",
      send: viaRoute(() => import("@/app/api/v1/versions/[number]/route"), { number: "1" }),
      ok: [200],
    },
  ];

  for (const endpoint of endpoints) {
    describe(endpoint.name, () => {
      for (const scope of [...API_SCOPES, "all"] as const) {
        const allowed = scope === "all" || scope === endpoint.scope;
        it(`${scope}: ${allowed ? "answers" : "403 insufficient_scope"}`, async () => {
          const answer = await endpoint.send(keys[scope]);
          if (allowed) expect(endpoint.ok).toContain(answer.status);
          else expect(answer).toMatchObject({ status: 403, json: { error: { code: "insufficient_scope" } } });
        });
      }
      it("no key: 401 unauthenticated", async () => {
        expect(await endpoint.send(null)).toMatchObject({
          status: 401,
          json: { error: { code: "unauthenticated" } },
        });
      });
      it("revoked key: 401 api_key_revoked", async () => {
        expect(await endpoint.send(revoked)).toMatchObject({
          status: 401,
          json: { error: { code: "api_key_revoked" } },
        });
      });
      it("wrong key: 401 invalid_api_key", async () => {
        expect(await endpoint.send(`acc_${"x".repeat(43)}`)).toMatchObject({
          status: 401,
          json: { error: { code: "invalid_api_key" } },
        });
        expect(await endpoint.send("not-a-key")).toMatchObject({
          status: 401,
          json: { error: { code: "invalid_api_key" } },
        });
      });
    });
  }

  it("a refused write writes nothing, and bad input from a bad key is still 401", async () => {
    const id = `refused-${randomUUID()}`;
    const before = await pool.query("SELECT count(*)::int AS n FROM consent_events");
    for (const key of [keys["status:read"], revoked, null]) {
      const answer = await call("POST", `/api/v1/subjects/${id}/consent`, {
        key,
        body: accept(),
        headers: { "Idempotency-Key": randomUUID() },
      });
      expect([401, 403]).toContain(answer.status);
    }
    expect(
      (await call("POST", `/api/v1/subjects/${id}/consent`, { key: revoked, body: { nonsense: 1 } })).status,
    ).toBe(401);
    const after = await pool.query("SELECT count(*)::int AS n FROM consent_events");
    expect(after.rows[0].n).toBe(before.rows[0].n);
    const mapped = await pool.query("SELECT 1 FROM external_subjects WHERE external_id = $1", [id]);
    expect(mapped.rowCount).toBe(0);
  });
});

describe("status and recording by the service's own subject ids", () => {
  it("creates the subject at its first acceptance and records APP decisions with the caller's evidence", async () => {
    const id = `user-${randomUUID()}`;
    const unknown = await call("GET", `/api/v1/subjects/${id}/status`, { key: keys.all });
    expect(unknown).toMatchObject({
      status: 200,
      json: {
        subjectId: id,
        known: false,
        agreement: { acceptedVersion: null, reconsent: "required" },
        seq: 0,
      },
    });
    expect(unknown.json.purposes.every((p: { granted: boolean }) => !p.granted)).toBe(true);
    expect((await pool.query("SELECT 1 FROM external_subjects WHERE external_id = $1", [id])).rowCount).toBe(
      0,
    );

    // A purpose before the agreement: refused, nothing created.
    const early = await call("POST", `/api/v1/subjects/${id}/consent`, {
      key: keys["consent:write"],
      body: grant("surveys"),
      headers: { "Idempotency-Key": "k-early" },
    });
    expect(early).toMatchObject({ status: 409, json: { error: { code: "agreement_not_accepted" } } });
    expect((await pool.query("SELECT 1 FROM external_subjects WHERE external_id = $1", [id])).rowCount).toBe(
      0,
    );

    // Accepted as shown in a translation: the event records that text and its language.
    const accepted = await call("POST", `/api/v1/subjects/${id}/consent`, {
      key: keys["consent:write"],
      body: { ...accept(), noticeSha256: body.translation.sha256 },
      headers: { "Idempotency-Key": "k-accept" },
    });
    expect(accepted).toMatchObject({
      status: 201,
      headers: { "idempotent-replayed": "false" },
      json: {
        subjectId: id,
        replayed: false,
        event: { action: "AGREEMENT_ACCEPTED", method: "APP", seq: 1 },
      },
    });
    const granted = await call("POST", `/api/v1/subjects/${id}/consent`, {
      key: keys["consent:write"],
      body: grant("surveys"),
      headers: { "Idempotency-Key": "k-grant" },
    });
    expect(granted).toMatchObject({
      status: 201,
      json: { event: { action: "PURPOSE_GRANTED", seq: 2, purposeKey: "surveys" } },
    });

    // A retry with the same key: the first event, nothing new.
    const retry = await call("POST", `/api/v1/subjects/${id}/consent`, {
      key: keys["consent:write"],
      body: grant("surveys"),
      headers: { "Idempotency-Key": "k-grant" },
    });
    expect(retry).toMatchObject({
      status: 200,
      headers: { "idempotent-replayed": "true" },
      json: { replayed: true },
    });
    expect(retry.json.event.id).toBe(granted.json.event.id);
    const reused = await call("POST", `/api/v1/subjects/${id}/consent`, {
      key: keys["consent:write"],
      body: grant("surveys", "withdraw"),
      headers: { "Idempotency-Key": "k-grant" },
    });
    expect(reused).toMatchObject({ status: 409, json: { error: { code: "idempotency_key_reused" } } });

    const status = await call("GET", `/api/v1/subjects/${id}/status`, { key: keys["status:read"] });
    expect(status.json).toMatchObject({
      subjectId: id,
      known: true,
      agreement: { acceptedVersion: body.number, reconsent: "none" },
      seq: 2,
    });
    const surveys = status.json.purposes.find((p: { key: string }) => p.key === "surveys");
    expect(surveys).toMatchObject({ consent: "granted", granted: true, method: "APP" });
    expect(status.json.purposes.find((p: { key: string }) => p.key === "service")).toMatchObject({
      consent: "required",
      granted: true,
    });

    const events = await pool.query(
      `SELECT e.method, e.ip_truncated, e.user_agent, e.locale, e.notice_sha256 FROM consent_events e
         JOIN external_subjects x ON x.subject_id = e.subject_id WHERE x.external_id = $1 ORDER BY e.seq`,
      [id],
    );
    expect(events.rows).toEqual([
      {
        method: "APP",
        ip_truncated: "203.0.113.0",
        user_agent: "IMApp/7.2 (iOS 19.1)",
        locale: body.translation.locale,
        notice_sha256: body.translation.sha256,
      },
      {
        method: "APP",
        ip_truncated: "2001:db8:1234::",
        user_agent: null,
        locale: "en", // the language of the purpose notice shown (the version's own)
        notice_sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
      },
    ]);

    const withdrawn = await call("POST", `/api/v1/subjects/${id}/consent`, {
      key: keys["consent:write"],
      body: grant("surveys", "withdraw"),
      headers: { "Idempotency-Key": "k-withdraw" },
    });
    expect(withdrawn.status).toBe(201);
    const after = await call("GET", `/api/v1/subjects/${id}/status`, { key: keys["status:read"] });
    expect(after.json.purposes.find((p: { key: string }) => p.key === "surveys")).toMatchObject({
      consent: "not-granted",
      granted: false,
    });
  });

  it("refuses bad input with specific 4xx answers and writes nothing", async () => {
    const id = `bad-${randomUUID()}`;
    const key = keys["consent:write"];
    const post = (payload: unknown, headers: Record<string, string> = { "Idempotency-Key": randomUUID() }) =>
      call("POST", `/api/v1/subjects/${id}/consent`, { key, body: payload, headers });
    expect(await post(accept(), {})).toMatchObject({
      status: 400,
      json: { error: { code: "idempotency_key_required" } },
    });
    expect(await post({ ...accept(), noticeSha256: "0".repeat(64) })).toMatchObject({
      status: 409,
      json: { error: { code: "text_mismatch" } },
    });
    expect(await post({ ...accept(), versionNumber: 999 })).toMatchObject({
      status: 404,
      json: { error: { code: "version_not_found" } },
    });
    expect(await post({ ...accept(), evidence: { ipAddress: "nope" } })).toMatchObject({
      status: 400,
      json: { error: { code: "invalid_input", fieldErrors: { "evidence.ipAddress": expect.any(Array) } } },
    });
    expect(await post({ decision: "maybe", evidence: {} })).toMatchObject({
      status: 400,
      json: { error: { code: "invalid_input" } },
    });
    expect(
      await call("POST", `/api/v1/subjects/${id}/consent`, {
        key,
        raw: "{nope",
        headers: { "Idempotency-Key": "x" },
      }),
    ).toMatchObject({ status: 400, json: { error: { code: "invalid_json" } } });
    expect((await call("GET", "/api/v1/subjects/has%20space/status", { key: keys.all })).status).toBe(400);
    expect((await pool.query("SELECT 1 FROM external_subjects WHERE external_id = $1", [id])).rowCount).toBe(
      0,
    );

    await post(accept());
    expect(await post(grant("service"))).toMatchObject({
      status: 422,
      json: { error: { code: "basic_purpose" } },
    });
    expect(await post(grant("no-such-purpose"))).toMatchObject({
      status: 404,
      json: { error: { code: "unknown_purpose" } },
    });
  });

  it("refuses a body not sent as JSON with 415, even when its text is JSON, and writes nothing", async () => {
    const id = `plain-${randomUUID()}`;
    const asText = (path: string, payload: unknown, key: string, headers: Record<string, string> = {}) =>
      call("POST", path, {
        key,
        raw: JSON.stringify(payload),
        headers: { "Content-Type": "text/plain", ...headers },
      });
    const refused = { status: 415, json: { error: { code: "unsupported_media_type" } } };
    expect(
      await asText(`/api/v1/subjects/${id}/consent`, accept(), keys["consent:write"], {
        "Idempotency-Key": randomUUID(),
      }),
    ).toMatchObject(refused);
    expect(await asText("/api/v1/subjects/status", { subjectIds: [id] }, keys["status:read"])).toMatchObject(
      refused,
    );
    expect(await asText(`/api/v1/subjects/${id}/token`, {}, keys["status:read"])).toMatchObject(refused);
    const noType = await call("POST", "/api/v1/subjects/status", {
      key: keys["status:read"],
      raw: JSON.stringify({ subjectIds: [id] }),
      headers: { "Content-Type": "" },
    });
    expect(noType).toMatchObject(refused);
    // A key is still checked first, and application/json with a charset is JSON.
    expect((await asText("/api/v1/subjects/status", { subjectIds: [id] }, revoked)).json.error.code).toBe(
      "api_key_revoked",
    );
    expect(
      await call("POST", "/api/v1/subjects/status", {
        key: keys["status:read"],
        raw: JSON.stringify({ subjectIds: [id] }),
        headers: { "Content-Type": "application/json; charset=utf-8" },
      }),
    ).toMatchObject({ status: 200 });
    expect((await pool.query("SELECT 1 FROM external_subjects WHERE external_id = $1", [id])).rowCount).toBe(
      0,
    );
    // The Next.js route file serving the same operation refuses it the same way.
    const { POST } = await import("@/app/api/v1/subjects/status/route");
    const text = JSON.stringify({ subjectIds: [id] });
    const viaNext = await POST(
      new NextRequest("http://accord.test/api/v1/subjects/status", {
        method: "POST",
        headers: {
          authorization: `Bearer ${keys["status:read"]}`,
          "content-type": "text/plain",
          "content-length": String(Buffer.byteLength(text)),
        },
        body: text,
      }),
      { params: Promise.resolve({}) },
    );
    expect(viaNext.status).toBe(415);
    expect(await viaNext.json()).toMatchObject(refused.json);
  });

  it("answers a batch of up to 1,000 subjects in the order asked", async () => {
    const known = `batch-${randomUUID()}`;
    await call("POST", `/api/v1/subjects/${known}/consent`, {
      key: keys["consent:write"],
      body: accept(),
      headers: { "Idempotency-Key": "b1" },
    });
    for (const [key, decision] of [
      ["surveys", "grant"],
      ["personalisation", "grant"],
      ["surveys", "withdraw"],
    ] as const)
      await call("POST", `/api/v1/subjects/${known}/consent`, {
        key: keys["consent:write"],
        body: grant(key, decision),
        headers: { "Idempotency-Key": `b-${key}-${decision}` },
      });
    const ids = ["nobody-1", known, "nobody-2", known];
    const answer = await call("POST", "/api/v1/subjects/status", {
      key: keys["status:read"],
      body: { subjectIds: ids },
    });
    expect(answer.status).toBe(200);
    expect(
      answer.json.statuses.map((s: { subjectId: string; known: boolean }) => [s.subjectId, s.known]),
    ).toEqual([
      ["nobody-1", false],
      [known, true],
      ["nobody-2", false],
      [known, true],
    ]);
    // Each purpose's state, as the single read sends it.
    const single = await call("GET", `/api/v1/subjects/${known}/status`, { key: keys["status:read"] });
    expect(answer.json.statuses[1]).toEqual(single.json);
    expect(
      single.json.purposes
        .filter((p: { key: string }) => p.key === "surveys" || p.key === "personalisation")
        .map((p: { key: string; consent: string; method: string }) => [p.key, p.consent, p.method]),
    ).toEqual(
      expect.arrayContaining([
        ["surveys", "not-granted", "APP"],
        ["personalisation", "granted", "APP"],
      ]),
    );
    expect(answer.headers["ratelimit-limit"]).toBe("100000");
    const many = Array.from({ length: 1000 }, (_, i) => `many-${i}`);
    const full = await call("POST", "/api/v1/subjects/status", {
      key: keys["status:read"],
      body: { subjectIds: many },
    });
    expect(full.status).toBe(200);
    expect(full.json.statuses).toHaveLength(1000);
    expect(full.json.statuses[999].subjectId).toBe("many-999");
    const tooMany = await call("POST", "/api/v1/subjects/status", {
      key: keys["status:read"],
      body: { subjectIds: [...many, "one-more"] },
    });
    expect(tooMany).toMatchObject({
      status: 400,
      json: { error: { code: "invalid_input", fieldErrors: { subjectIds: expect.any(Array) } } },
    });
  });

  it("issues a consent token for a subject that verifies offline with jose", async () => {
    const id = `token-${randomUUID()}`;
    await call("POST", `/api/v1/subjects/${id}/consent`, {
      key: keys["consent:write"],
      body: accept(),
      headers: { "Idempotency-Key": "t1" },
    });
    const issued = await call("POST", `/api/v1/subjects/${id}/token`, {
      key: keys["status:read"],
      body: { ttlSeconds: 60, audience: "recommender" },
    });
    expect(issued).toMatchObject({
      status: 200,
      json: {
        tokenType: "consent+jwt",
        status: { subjectId: id, known: true, agreement: { acceptedVersion: body.number } },
      },
    });
    const { GET } = await import("@/app/.well-known/jwks.json/route");
    const jwks = (await (
      await GET(new NextRequest("http://accord.test/.well-known/jwks.json"), { params: Promise.resolve({}) })
    ).json()) as JSONWebKeySet;
    const { payload } = await jwtVerify(issued.json.token, createLocalJWKSet(jwks), {
      audience: "recommender",
      typ: "consent+jwt",
    });
    expect(payload).toMatchObject({
      sub: id,
      agreement: { accepted: body.number },
      purposes: { service: "required", surveys: "not-granted" },
    });
    expect((payload.exp ?? 0) - (payload.iat ?? 0)).toBe(60);
    expect(
      (
        await call("POST", `/api/v1/subjects/${id}/token`, {
          key: keys["status:read"],
          body: { ttlSeconds: 5 },
        })
      ).status,
    ).toBe(400);
  });

  it("serves the same operation from the Next.js route file", async () => {
    const { GET } = await import("@/app/api/v1/subjects/[subjectId]/status/route");
    const response = await GET(
      new NextRequest("http://accord.test/api/v1/subjects/route-check/status", {
        headers: { authorization: `Bearer ${keys["status:read"]}` },
      }),
      { params: Promise.resolve({ subjectId: "route-check" }) },
    );
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ subjectId: "route-check", known: false });
    expect(response.headers.get("ratelimit-remaining")).not.toBeNull();
  });
});
