// One webhook endpoint: its latest deliveries, turning it on or off, removing it (scope webhooks:manage).
import type { z } from "zod";
import { withRoute } from "@/lib/http/route";
import { ok, type Result } from "@/lib/result";
import {
  deleteWebhookEndpoint,
  getWebhookEndpoint,
  listDeliveries,
  setWebhookEnabled,
} from "@/lib/webhooks/endpoints";
import { deliveryJson, endpointJson, endpointParam, keyContext } from "@/lib/webhooks/api";
import {
  setEnabledBodySchema,
  type webhookDeletedSchema,
  type webhookEndpointDetailSchema,
  type webhookEndpointSchema,
} from "@/lib/webhooks/schemas";

const access = { apiKey: "webhooks:manage" } as const;
type Params = { endpointId: string };

export const GET = withRoute<z.ZodUndefined, z.ZodUndefined, Params, typeof access>(
  { access },
  async ({ params }): Promise<Result<z.input<typeof webhookEndpointDetailSchema>>> => {
    const id = endpointParam(params);
    if (typeof id !== "string") return id;
    const endpoint = await getWebhookEndpoint(id);
    if (!endpoint.ok) return endpoint;
    return ok({ ...endpointJson(endpoint.data), deliveries: (await listDeliveries(id)).map(deliveryJson) });
  },
);

export const PATCH = withRoute<z.ZodUndefined, typeof setEnabledBodySchema, Params, typeof access>(
  { access, body: setEnabledBodySchema },
  async ({ actor, meta, params, body }): Promise<Result<z.input<typeof webhookEndpointSchema>>> => {
    const id = endpointParam(params);
    if (typeof id !== "string") return id;
    const changed = await setWebhookEnabled(keyContext(actor, meta), id, body.enabled);
    return changed.ok ? ok(endpointJson(changed.data)) : changed;
  },
);

export const DELETE = withRoute<z.ZodUndefined, z.ZodUndefined, Params, typeof access>(
  { access },
  async ({ actor, meta, params }): Promise<Result<z.input<typeof webhookDeletedSchema>>> => {
    const id = endpointParam(params);
    if (typeof id !== "string") return id;
    return deleteWebhookEndpoint(keyContext(actor, meta), id);
  },
);
