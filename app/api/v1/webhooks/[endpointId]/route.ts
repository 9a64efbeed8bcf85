// One webhook endpoint: its latest deliveries, turning it on or off, removing it (scope webhooks:manage).
import { z } from "zod";
import { withRoute } from "@/lib/http/route";
import { ok } from "@/lib/result";
import {
  deleteWebhookEndpoint,
  getWebhookEndpoint,
  listDeliveries,
  setWebhookEnabled,
} from "@/lib/webhooks/endpoints";
import { endpointParam, keyContext } from "@/lib/webhooks/api";

const access = { apiKey: "webhooks:manage" } as const;
type Params = { endpointId: string };

export const GET = withRoute<z.ZodUndefined, z.ZodUndefined, Params, typeof access>(
  { access },
  async ({ params }) => {
    const id = endpointParam(params);
    if (typeof id !== "string") return id;
    const endpoint = await getWebhookEndpoint(id);
    if (!endpoint.ok) return endpoint;
    return ok({ ...endpoint.data, deliveries: await listDeliveries(id) });
  },
);

const patchSchema = z.object({ enabled: z.boolean({ error: "Send enabled: true or false." }) });

export const PATCH = withRoute<z.ZodUndefined, typeof patchSchema, Params, typeof access>(
  { access, body: patchSchema },
  async ({ actor, meta, params, body }) => {
    const id = endpointParam(params);
    if (typeof id !== "string") return id;
    return setWebhookEnabled(keyContext(actor, meta), id, body.enabled);
  },
);

export const DELETE = withRoute<z.ZodUndefined, z.ZodUndefined, Params, typeof access>(
  { access },
  async ({ actor, meta, params }) => {
    const id = endpointParam(params);
    if (typeof id !== "string") return id;
    return deleteWebhookEndpoint(keyContext(actor, meta), id);
  },
);
