import "server-only";
import type { z } from "zod";
import type { ApiKeyCaller } from "@/lib/api-keys/authenticate";
import type { RequestMeta } from "@/lib/http/request-meta";
import { fail, type Failure } from "@/lib/result";
import type {
  DeliveryLogEntry,
  WebhookEndpointSummary,
  WebhookManagerContext,
} from "@/lib/webhooks/endpoints";
import {
  deliveryPathSchema,
  webhookIdSchema,
  type webhookDeliverySchema,
  type webhookEndpointSchema,
} from "@/lib/webhooks/schemas";

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
  const parsed = deliveryPathSchema.shape.deliveryId.safeParse(params.deliveryId);
  return parsed.success ? parsed.data : fail(404, "unknown_delivery", "There is no such delivery.");
}

const iso = (date: Date) => date.toISOString();
const isoOrNull = (date: Date | null) => (date ? date.toISOString() : null);

/** An endpoint as the API answers it (WebhookEndpoint in the OpenAPI document). */
export function endpointJson(endpoint: WebhookEndpointSummary): z.input<typeof webhookEndpointSchema> {
  return {
    id: endpoint.id,
    url: endpoint.url,
    description: endpoint.description,
    eventTypes: endpoint.eventTypes,
    consecutiveFailures: endpoint.consecutiveFailures,
    disabledAt: isoOrNull(endpoint.disabledAt),
    disabledReason: endpoint.disabledReason,
    createdAt: iso(endpoint.createdAt),
  };
}

/** A delivery with its attempts (WebhookDelivery in the OpenAPI document). */
export function deliveryJson(delivery: DeliveryLogEntry): z.input<typeof webhookDeliverySchema> {
  return {
    ...delivery,
    nextAttemptAt: iso(delivery.nextAttemptAt),
    deliveredAt: isoOrNull(delivery.deliveredAt),
    createdAt: iso(delivery.createdAt),
    attemptLog: delivery.attemptLog.map((attempt) => ({ ...attempt, attemptedAt: iso(attempt.attemptedAt) })),
  };
}
