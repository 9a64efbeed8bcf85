// Webhook endpoints for a service's key with the webhooks:manage scope (docs/webhooks.md).
import { NextResponse } from "next/server";
import { withRoute } from "@/lib/http/route";
import { failureResponse } from "@/lib/http/route";
import { createWebhookEndpoint, listWebhookEndpoints } from "@/lib/webhooks/endpoints";
import { createWebhookSchema } from "@/lib/webhooks/schemas";
import { keyContext } from "@/lib/webhooks/api";

const access = { apiKey: "webhooks:manage" } as const;

export const GET = withRoute({ access }, async () => ({
  ok: true,
  data: { endpoints: await listWebhookEndpoints() },
}));

/** Registers an endpoint; the answer holds its signing secret, the only time it is shown. */
export const POST = withRoute({ access, body: createWebhookSchema }, async ({ actor, meta, body }) => {
  const created = await createWebhookEndpoint(keyContext(actor, meta), body);
  return created.ok ? NextResponse.json(created.data, { status: 201 }) : failureResponse(created);
});
