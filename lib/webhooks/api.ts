import "server-only";
import type { ApiKeyCaller } from "@/lib/api-keys/authenticate";
import type { RequestMeta } from "@/lib/http/request-meta";
import { fail, type Failure } from "@/lib/result";
import type { WebhookManagerContext } from "@/lib/webhooks/endpoints";
import { deliveryIdSchema, webhookIdSchema } from "@/lib/webhooks/schemas";

/** The service context of a webhooks:manage key: audited under the key, with no person as actor. */
export function keyContext(caller: ApiKeyCaller, meta: RequestMeta): WebhookManagerContext {
  return { actor: null, meta, apiKey: { id: caller.id, name: caller.name } };
}

/** Path segments from the URL: a malformed id is simply not found. */
export function endpointParam(params: { endpointId?: string }): string | Failure {
  const parsed = webhookIdSchema.safeParse(params);
  return parsed.success
    ? parsed.data.endpointId
    : fail(404, "unknown_webhook", "There is no such webhook endpoint.");
}

export function deliveryParam(params: { deliveryId?: string }): string | Failure {
  const parsed = deliveryIdSchema.safeParse(params);
  return parsed.success
    ? parsed.data.deliveryId
    : fail(404, "unknown_delivery", "There is no such delivery.");
}
