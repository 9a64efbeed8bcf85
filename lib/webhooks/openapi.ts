// The webhook endpoints (app/api/v1/webhooks/*) in the OpenAPI document, from
// the zod schemas the routes validate with and type their answers by.
import type { ZodOpenApiPathsObject } from "zod-openapi";
import {
  json,
  KEY_ERRORS,
  keyedAnswer,
  refusal,
  UNSUPPORTED_MEDIA_TYPE,
} from "@/lib/service-api/openapi-parts";
import {
  createdWebhookEndpointSchema,
  createWebhookBodySchema,
  deliveryPathSchema,
  deliveryReplayedSchema,
  setEnabledBodySchema,
  testEventSentSchema,
  webhookDeletedSchema,
  webhookEndpointDetailSchema,
  webhookEndpointListSchema,
  webhookEndpointSchema,
  webhookIdSchema,
} from "@/lib/webhooks/schemas";

const common = { tags: ["Webhooks"], security: [{ apiKey: ["webhooks:manage"] }] };
const scope = "\n\nScope: `webhooks:manage`.";
const notFound = { "404": refusal("No such endpoint (or delivery).") };
const badBody = { "400": refusal("Not JSON, or invalid fields (`fieldErrors` names them).") };
const bodiless = " Send no body (or `{}` as `application/json`)." + scope;

export function webhookPaths(): ZodOpenApiPathsObject {
  return {
    "/api/v1/webhooks": {
      get: {
        ...common,
        operationId: "listWebhookEndpoints",
        summary: "Registered webhook endpoints",
        description: "Every endpoint, newest first, without secrets." + scope,
        responses: { "200": keyedAnswer("The endpoints.", webhookEndpointListSchema), ...KEY_ERRORS },
      },
      post: {
        ...common,
        operationId: "createWebhookEndpoint",
        summary: "Register a webhook endpoint",
        description:
          "Accord POSTs the chosen event types to `url`, signed with the Standard Webhooks scheme (docs/webhooks.md). " +
          "The answer holds the signing secret: keep it, it is never shown again. Audited." +
          scope,
        requestBody: { required: true, ...json(createWebhookBodySchema) },
        responses: {
          "201": keyedAnswer("Registered; `secret` is shown this once.", createdWebhookEndpointSchema),
          ...badBody,
          ...UNSUPPORTED_MEDIA_TYPE,
          ...KEY_ERRORS,
        },
      },
    },
    "/api/v1/webhooks/{endpointId}": {
      get: {
        ...common,
        operationId: "getWebhookEndpoint",
        summary: "One endpoint and its delivery log",
        description: "The endpoint and its latest 50 deliveries, each with its attempts." + scope,
        requestParams: { path: webhookIdSchema },
        responses: {
          "200": keyedAnswer("The endpoint and its deliveries.", webhookEndpointDetailSchema),
          ...notFound,
          ...KEY_ERRORS,
        },
      },
      patch: {
        ...common,
        operationId: "setWebhookEnabled",
        summary: "Turn an endpoint on or off",
        description:
          "Turning it on clears its failure count, so deliveries kept while it was off go out again. Audited." +
          scope,
        requestParams: { path: webhookIdSchema },
        requestBody: { required: true, ...json(setEnabledBodySchema) },
        responses: {
          "200": keyedAnswer("The endpoint as it is now.", webhookEndpointSchema),
          ...badBody,
          ...notFound,
          "409": refusal("Already enabled, or already disabled."),
          ...UNSUPPORTED_MEDIA_TYPE,
          ...KEY_ERRORS,
        },
      },
      delete: {
        ...common,
        operationId: "deleteWebhookEndpoint",
        summary: "Remove an endpoint",
        description: "Removes the endpoint and its delivery log. Audited." + scope,
        requestParams: { path: webhookIdSchema },
        responses: {
          "200": keyedAnswer("Removed.", webhookDeletedSchema),
          ...notFound,
          ...KEY_ERRORS,
        },
      },
    },
    "/api/v1/webhooks/{endpointId}/test": {
      post: {
        ...common,
        operationId: "sendWebhookTestEvent",
        summary: "Send a test event",
        description:
          "Queues a `webhook.test` message for this endpoint; it is sent at once. Audited." + bodiless,
        requestParams: { path: webhookIdSchema },
        responses: {
          "200": keyedAnswer("Queued.", testEventSentSchema),
          ...notFound,
          "409": refusal("The endpoint is disabled."),
          ...UNSUPPORTED_MEDIA_TYPE,
          ...KEY_ERRORS,
        },
      },
    },
    "/api/v1/webhooks/{endpointId}/deliveries/{deliveryId}/replay": {
      post: {
        ...common,
        operationId: "replayWebhookDelivery",
        summary: "Send a delivery again",
        description:
          "Sends a delivered or failed delivery again, with the same `webhook-id` (deduplicate on it), as a fresh series of attempts. Audited." +
          bodiless,
        requestParams: { path: deliveryPathSchema },
        responses: {
          "200": keyedAnswer("Queued again.", deliveryReplayedSchema),
          ...notFound,
          "409": refusal("The delivery has not finished yet; it will be sent anyway."),
          ...UNSUPPORTED_MEDIA_TYPE,
          ...KEY_ERRORS,
        },
      },
    },
  };
}
