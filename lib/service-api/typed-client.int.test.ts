// The example client (examples/api/client.ts, typed by the types generated
// from /api/v1/openapi.json) against the real routes over HTTP: the webhook
// admin routes and the hosted-link route answer what the document says,
// field for field (each answer parses with the zod schema its component was
// generated from, strictly), and what it sends is what they accept.
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NextRequest } from "next/server";
import type { z } from "zod";
import { usePrivateAppDatabase } from "@/tests/helpers/private-app-database";
import type { AccordServer } from "@/lib/server/create-server";
import { accordClient, AccordApiError } from "@/examples/api/client";

type Route = (request: NextRequest, segment: { params: Promise<never> }) => Promise<Response>;
type RouteModule = Partial<Record<"GET" | "POST" | "PATCH" | "DELETE", Route>>;

let db: Awaited<ReturnType<typeof usePrivateAppDatabase>>;
let server: AccordServer;
let schemas: typeof import("@/lib/webhooks/schemas");
let hostedSchemas: typeof import("@/lib/hosted/schemas");
let client: ReturnType<typeof accordClient>;

/** Strict: an answer with a field the document does not name fails too. */
function strictParse(schema: z.ZodType, value: unknown) {
  const strict = (s: z.ZodType): z.ZodType =>
    "strict" in s && typeof s.strict === "function" ? (s as z.ZodObject).strict() : s;
  return strict(schema).parse(value);
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

beforeAll(async () => {
  db = await usePrivateAppDatabase();
  const [{ startFastPathServer }, apiKeys, returnUrls] = await Promise.all([
    import("@/tests/helpers/fast-path-server"),
    import("@/lib/api-keys/api-keys"),
    import("@/lib/hosted/return-urls"),
  ]);
  [schemas, hostedSchemas] = await Promise.all([
    import("@/lib/webhooks/schemas"),
    import("@/lib/hosted/schemas"),
  ]);
  // The route files these paths are served by (Next's router, in miniature).
  const routes: [RegExp, () => Promise<RouteModule>, string[]][] = [
    [/^\/api\/v1\/webhooks$/, () => import("@/app/api/v1/webhooks/route"), []],
    [
      /^\/api\/v1\/webhooks\/([^/]+)$/,
      () => import("@/app/api/v1/webhooks/[endpointId]/route"),
      ["endpointId"],
    ],
    [
      /^\/api\/v1\/webhooks\/([^/]+)\/test$/,
      () => import("@/app/api/v1/webhooks/[endpointId]/test/route"),
      ["endpointId"],
    ],
    [
      /^\/api\/v1\/webhooks\/([^/]+)\/deliveries\/([^/]+)\/replay$/,
      () => import("@/app/api/v1/webhooks/[endpointId]/deliveries/[deliveryId]/replay/route"),
      ["endpointId", "deliveryId"],
    ],
    [/^\/api\/v1\/hosted-links$/, () => import("@/app/api/v1/hosted-links/route"), []],
  ];
  const handler = async (request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? "/", "http://127.0.0.1");
    for (const [pattern, load, names] of routes) {
      const match = pattern.exec(url.pathname);
      if (!match) continue;
      const route = (await load())[request.method as keyof RouteModule];
      if (!route) break;
      const body = await readBody(request);
      const headers = new Headers();
      for (const [name, value] of Object.entries(request.headers))
        if (typeof value === "string") headers.set(name, value);
      const answer = await route(
        new NextRequest(url, {
          method: request.method,
          headers,
          body: body.length ? new Uint8Array(body) : undefined,
        }),
        {
          params: Promise.resolve(
            Object.fromEntries(names.map((name, i) => [name, match[i + 1] ?? ""])),
          ) as Promise<never>,
        },
      );
      response.writeHead(answer.status, Object.fromEntries(answer.headers));
      response.end(Buffer.from(await answer.arrayBuffer()));
      return;
    }
    response.writeHead(404).end();
  };
  server = await startFastPathServer(handler);
  const context = { actor: null, meta: null, via: "cli" as const };
  const key = await apiKeys.createApiKey(context, {
    name: "typed client",
    scopes: ["webhooks:manage", "consent:write"],
    rateLimitPerMinute: 10_000,
  });
  if (!key.ok) throw new Error(key.message);
  const allowed = await returnUrls.addReturnUrl(
    { actor: null, meta: { ipTruncated: null, userAgent: "vitest" } },
    { apiKeyId: key.data.id, urlPrefix: "https://im.example/consent" },
  );
  if (!allowed.ok) throw new Error(allowed.message);
  client = accordClient(server.url, key.data.key);
});

afterAll(async () => {
  await server?.close();
  await db?.release();
});

describe("the typed client against the webhook and hosted-link routes", () => {
  it("manages a webhook endpoint through every webhook route, each answer as documented", async () => {
    const created = await client.webhooks.create({
      url: "https://im.example/hooks",
      eventTypes: ["consent.changed", "consent.changed"],
    });
    strictParse(schemas.createdWebhookEndpointSchema, created);
    expect(created).toMatchObject({ description: "", eventTypes: ["consent.changed"] });
    expect(created.secret).toMatch(/^whsec_/);

    const listed = await client.webhooks.list();
    listed.forEach((endpoint) => strictParse(schemas.webhookEndpointSchema, endpoint));
    expect(listed.map((endpoint) => endpoint.id)).toContain(created.id);

    // A bodiless POST, as openapi-fetch sends it (no Content-Type), is accepted.
    const sent = await client.webhooks.sendTest(created.id);
    strictParse(schemas.testEventSentSchema, sent);

    const shown = await client.webhooks.get(created.id);
    strictParse(
      schemas.webhookEndpointDetailSchema.extend({
        deliveries: schemas.webhookDeliverySchema.strict().array(),
      }),
      shown,
    );
    expect(shown.deliveries).toEqual([
      expect.objectContaining({ id: sent.deliveryId, messageId: sent.messageId, status: "PENDING" }),
    ]);

    const replay = await client.webhooks.replay(created.id, sent.deliveryId).catch((error: unknown) => error);
    expect(replay).toBeInstanceOf(AccordApiError);
    expect(replay).toMatchObject({ status: 409, error: { code: "delivery_in_progress" } });

    const off = await client.webhooks.setEnabled(created.id, false);
    strictParse(schemas.webhookEndpointSchema, off);
    expect(off.disabledAt).not.toBeNull();

    strictParse(schemas.webhookDeletedSchema, await client.webhooks.remove(created.id));
    await expect(client.webhooks.get(created.id)).rejects.toMatchObject({
      status: 404,
      error: { code: "unknown_webhook" },
    });
  });

  it("creates a hosted-flow link, and refuses a return address the key is not allowed", async () => {
    const link = await client.hostedLink({
      subjectId: `user-${randomUUID()}`,
      flow: "reconsent",
      returnUrl: "https://im.example/consent/done",
      state: "s1",
    });
    strictParse(hostedSchemas.hostedLinkSchema, link);
    expect(new URL(link.url).pathname).toBe("/hosted/reconsent");
    await expect(
      client.hostedLink({ subjectId: "u", flow: "preferences", returnUrl: "https://evil.example/" }),
    ).rejects.toMatchObject({ status: 422, error: { code: "return_url_not_allowed" } });
  });
});
