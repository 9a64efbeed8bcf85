// Webhook endpoints for a service's key with the webhooks:manage scope (docs/webhooks.md).
// Inputs and answers are the schemas of lib/webhooks/schemas.ts, as in /api/v1/openapi.json.
import type { z } from "zod";
import { NextResponse } from "next/server";
import { withRoute } from "@/lib/http/route";
import { failureResponse } from "@/lib/http/route";
import { ok } from "@/lib/result";
import { createWebhookEndpoint, listWebhookEndpoints } from "@/lib/webhooks/endpoints";
import {
  createWebhookSchema,
  type createdWebhookEndpointSchema,
  type webhookEndpointListSchema,
} from "@/lib/webhooks/schemas";
import { endpointJson, keyContext } from "@/lib/webhooks/api";

const access = { apiKey: "webhooks:manage" } as const;

export const GET = withRoute({ access }, async () => {
  const answer: z.input<typeof webhookEndpointListSchema> = {
    endpoints: (await listWebhookEndpoints()).map(endpointJson),
  };
  return ok(answer);
});

/** Registers an endpoint; the answer holds its signing secret, the only time it is shown. */
export const POST = withRoute({ access, body: createWebhookSchema }, async ({ actor, meta, body }) => {
  const created = await createWebhookEndpoint(keyContext(actor, meta), body);
  if (!created.ok) return failureResponse(created);
  const answer: z.input<typeof createdWebhookEndpointSchema> = {
    ...endpointJson(created.data),
    secret: created.data.secret,
  };
  return NextResponse.json(answer, { status: 201 });
});
