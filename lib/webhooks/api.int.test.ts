// The webhooks API (/api/v1/webhooks/*) through its route handlers: every
// endpoint × every scope, no key, a revoked key and an unknown key, then what
// a webhooks:manage key can do.
import { randomBytes, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NextRequest } from "next/server";
import { API_SCOPES, type ApiScopeName } from "@/lib/api-keys/scopes";
import { usePrivateAppDatabase } from "@/tests/helpers/private-app-database";

let db: Awaited<ReturnType<typeof usePrivateAppDatabase>>;
let list: typeof import("@/app/api/v1/webhooks/route");
let one: typeof import("@/app/api/v1/webhooks/[endpointId]/route");
let test: typeof import("@/app/api/v1/webhooks/[endpointId]/test/route");
let replay: typeof import("@/app/api/v1/webhooks/[endpointId]/deliveries/[deliveryId]/replay/route");
const keys = {} as Record<ApiScopeName | "revoked", string>;
let endpointId = "";

const context = { actor: null, meta: { ipTruncated: null, userAgent: "vitest" } };

beforeAll(async () => {
  db = await usePrivateAppDatabase();
  const apiKeys = await import("@/lib/api-keys/api-keys");
  [list, one, test, replay] = await Promise.all([
    import("@/app/api/v1/webhooks/route"),
    import("@/app/api/v1/webhooks/[endpointId]/route"),
    import("@/app/api/v1/webhooks/[endpointId]/test/route"),
    import("@/app/api/v1/webhooks/[endpointId]/deliveries/[deliveryId]/replay/route"),
  ]);
  for (const scope of API_SCOPES) {
    const created = await apiKeys.createApiKey(context, {
      name: scope,
      scopes: [scope],
      rateLimitPerMinute: 10_000,
    });
    if (!created.ok) throw new Error(created.message);
    keys[scope] = created.data.key;
  }
  const revoked = await apiKeys.createApiKey(context, {
    name: "revoked",
    scopes: ["webhooks:manage"],
    rateLimitPerMinute: 10_000,
  });
  if (!revoked.ok) throw new Error(revoked.message);
  await apiKeys.revokeApiKey(context, revoked.data.id);
  keys.revoked = revoked.data.key;
  const endpoints = await import("@/lib/webhooks/endpoints");
  const created = await endpoints.createWebhookEndpoint(context, {
    url: "http://127.0.0.1:9/never",
    description: "",
    eventTypes: ["consent.changed"],
  });
  if (!created.ok) throw new Error(created.message);
  endpointId = created.data.id;
});

afterAll(async () => {
  await db?.release();
});

function request(method: string, path: string, key: string | null, body?: unknown) {
  return new NextRequest(`http://127.0.0.1${path}`, {
    method,
    headers: {
      ...(key ? { authorization: `Bearer ${key}` } : {}),
      ...(method !== "GET" ? { "content-type": "application/json" } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
}

const routes = () => [
  {
    name: "GET /webhooks",
    call: (k: string | null) =>
      list.GET(request("GET", "/api/v1/webhooks", k), { params: Promise.resolve({}) }),
  },
  {
    name: "POST /webhooks",
    call: (k: string | null) =>
      list.POST(
        request("POST", "/api/v1/webhooks", k, {
          url: "https://hooks.example/a",
          eventTypes: ["consent.changed"],
        }),
        {
          params: Promise.resolve({}),
        },
      ),
  },
  {
    name: "GET /webhooks/:id",
    call: (k: string | null) =>
      one.GET(request("GET", `/api/v1/webhooks/${endpointId}`, k), {
        params: Promise.resolve({ endpointId }),
      }),
  },
  {
    name: "PATCH /webhooks/:id",
    call: (k: string | null) =>
      one.PATCH(request("PATCH", `/api/v1/webhooks/${endpointId}`, k, { enabled: true }), {
        params: Promise.resolve({ endpointId }),
      }),
  },
  {
    name: "POST /webhooks/:id/test",
    call: (k: string | null) =>
      test.POST(request("POST", `/api/v1/webhooks/${endpointId}/test`, k), {
        params: Promise.resolve({ endpointId }),
      }),
  },
  {
    name: "POST /webhooks/:id/deliveries/:d/replay",
    call: (k: string | null) =>
      replay.POST(request("POST", `/api/v1/webhooks/${endpointId}/deliveries/1/replay`, k), {
        params: Promise.resolve({ endpointId, deliveryId: "999999" }),
      }),
  },
  {
    name: "DELETE /webhooks/:id",
    call: (k: string | null) =>
      one.DELETE(request("DELETE", `/api/v1/webhooks/${randomUUID()}`, k), {
        params: Promise.resolve({ endpointId: randomUUID() }),
      }),
  },
];

describe("who may call the webhooks API", () => {
  it("refuses no key, an unknown key, a revoked key and every scope but webhooks:manage, on every route", async () => {
    const unknown = `acc_${randomBytes(32).toString("base64url")}`;
    for (const route of routes()) {
      const cases: [string, string | null, number][] = [
        ["no key", null, 401],
        ["unknown key", unknown, 401],
        ["revoked key", keys.revoked, 401],
        ...API_SCOPES.filter((s) => s !== "webhooks:manage").map((s): [string, string, number] => [
          s,
          keys[s],
          403,
        ]),
      ];
      for (const [label, key, status] of cases) {
        const response = await route.call(key);
        expect({ route: route.name, label, status: response.status }).toEqual({
          route: route.name,
          label,
          status,
        });
        const body = (await response.json()) as { error?: { code: string } };
        expect(body.error?.code).toBeTruthy();
      }
      const allowed = await route.call(keys["webhooks:manage"]);
      expect([401, 403, 429], route.name).not.toContain(allowed.status);
      expect(allowed.status, route.name).toBeLessThan(500);
    }
  });
});

describe("a webhooks:manage key", () => {
  it("registers an endpoint, sees its secret once, sends a test event and removes it", async () => {
    const key = keys["webhooks:manage"];
    const bad = await list.POST(
      request("POST", "/api/v1/webhooks", key, { url: "ftp://x", eventTypes: [] }),
      {
        params: Promise.resolve({}),
      },
    );
    expect(bad.status).toBe(400);
    const plainText = JSON.stringify({ url: "https://im.example/plain", eventTypes: ["consent.changed"] });
    const plain = await list.POST(
      new NextRequest("http://127.0.0.1/api/v1/webhooks", {
        method: "POST",
        headers: {
          authorization: `Bearer ${key}`,
          "content-type": "text/plain",
          "content-length": String(Buffer.byteLength(plainText)),
        },
        body: plainText,
      }),
      { params: Promise.resolve({}) },
    );
    expect(plain.status).toBe(415);
    expect(await plain.json()).toMatchObject({ error: { code: "unsupported_media_type" } });
    expect(
      ((await bad.json()) as { error: { fieldErrors: Record<string, string[]> } }).error.fieldErrors,
    ).toHaveProperty("url");

    const created = await list.POST(
      request("POST", "/api/v1/webhooks", key, {
        url: "https://im.example/hooks",
        eventTypes: ["agreement.published"],
      }),
      { params: Promise.resolve({}) },
    );
    expect(created.status).toBe(201);
    const endpoint = (await created.json()) as { id: string; secret: string };
    expect(endpoint.secret).toMatch(/^whsec_/);
    const params = { params: Promise.resolve({ endpointId: endpoint.id }) };

    const listed = await list.GET(request("GET", "/api/v1/webhooks", key), { params: Promise.resolve({}) });
    const text = await listed.text();
    expect(text).toContain(endpoint.id);
    expect(text).not.toContain(endpoint.secret);

    const sent = await test.POST(request("POST", `/api/v1/webhooks/${endpoint.id}/test`, key), params);
    expect(sent.status).toBe(200);
    const shown = (await (
      await one.GET(request("GET", `/api/v1/webhooks/${endpoint.id}`, key), params)
    ).json()) as {
      deliveries: { eventType: string; status: string }[];
    };
    expect(shown.deliveries).toEqual([
      expect.objectContaining({ eventType: "webhook.test", status: "PENDING" }),
    ]);

    const off = await one.PATCH(
      request("PATCH", `/api/v1/webhooks/${endpoint.id}`, key, { enabled: false }),
      params,
    );
    expect(off.status).toBe(200);
    const again = await one.PATCH(
      request("PATCH", `/api/v1/webhooks/${endpoint.id}`, key, { enabled: false }),
      params,
    );
    expect(again.status).toBe(409);

    const removed = await one.DELETE(request("DELETE", `/api/v1/webhooks/${endpoint.id}`, key), params);
    expect(removed.status).toBe(200);
    const gone = await one.GET(request("GET", `/api/v1/webhooks/${endpoint.id}`, key), params);
    expect(gone.status).toBe(404);
    const malformed = await one.GET(request("GET", "/api/v1/webhooks/nope", key), {
      params: Promise.resolve({ endpointId: "nope" }),
    });
    expect(malformed.status).toBe(404);
  });
});
