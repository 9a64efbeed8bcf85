// One zod schema per input, shared by the admin form, the API and the service.
import { z } from "zod";
import { WEBHOOK_EVENT_TYPES, webhookEventTypeSchema } from "@/lib/webhooks/event-types";
import { fieldMessage } from "@/lib/validation/messages";

/** A form posts each event type as its own checkbox, `event:consent.changed=on`; JSON sends `eventTypes`. */
function collectEventCheckboxes(raw: unknown): unknown {
  if (typeof raw !== "object" || raw === null || "eventTypes" in raw) return raw;
  const fields = raw as Record<string, unknown>;
  const eventTypes = WEBHOOK_EVENT_TYPES.filter((type) => fields[`event:${type}`] === "on");
  const rest = Object.fromEntries(Object.entries(fields).filter(([key]) => !key.startsWith("event:")));
  return { ...rest, eventTypes };
}

const URL_ERROR = fieldMessage("webhookUrl");

export const webhookUrlSchema = z
  .string({ error: URL_ERROR })
  .trim()
  .max(2000, { error: fieldMessage("addressTooLong") })
  .refine(
    (value) => {
      if (!URL.canParse(value)) return false;
      const url = new URL(value);
      return (url.protocol === "https:" || url.protocol === "http:") && !url.username && !url.password;
    },
    { error: URL_ERROR },
  );

/** The JSON body of POST /api/v1/webhooks (the OpenAPI document's request schema). */
export const createWebhookBodySchema = z
  .object({
    url: webhookUrlSchema,
    description: z
      .string()
      .trim()
      .max(200, { error: fieldMessage("webhookDescriptionTooLong") })
      .refine((value) => !value.includes("\0"), { error: fieldMessage("webhookDescriptionNul") })
      .default(""),
    eventTypes: z
      .array(webhookEventTypeSchema)
      .min(1, { error: fieldMessage("chooseEventType") })
      .transform((types) => [...new Set(types)]),
  })
  .meta({ id: "CreateWebhookEndpoint" });

/** The same body, or the admin form's fields (one checkbox per event type). */
export const createWebhookSchema = z.preprocess(collectEventCheckboxes, createWebhookBodySchema);
export type CreateWebhookInput = z.infer<typeof createWebhookSchema>;

export const webhookIdSchema = z.object({ endpointId: z.uuid({ error: fieldMessage("unknownWebhook") }) });

/** Path parameters of a delivery, as the API's URLs carry them. */
export const deliveryPathSchema = webhookIdSchema.extend({
  deliveryId: z
    .string()
    .regex(/^\d{1,18}$/, { error: fieldMessage("unknownDelivery") })
    .meta({ description: "The delivery's id, from the endpoint's delivery log." }),
});

export const setEnabledSchema = z.object({
  endpointId: z.uuid({ error: fieldMessage("unknownWebhook") }),
  enabled: z.union([z.boolean(), z.enum(["true", "false"]).transform((value) => value === "true")]),
});

/** PATCH /api/v1/webhooks/{endpointId}. */
export const setEnabledBodySchema = z
  .object({ enabled: z.boolean({ error: "Send enabled: true or false." }) })
  .meta({ id: "SetWebhookEnabled" });

// The API's answers (app/api/v1/webhooks/*, built by lib/webhooks/api.ts):
// typed by these schemas, which the OpenAPI document is generated from.
const instant = z.iso.datetime().meta({ description: "ISO 8601 UTC instant." });

export const webhookEndpointSchema = z
  .object({
    id: z.uuid(),
    url: z.string(),
    description: z.string(),
    eventTypes: z.array(webhookEventTypeSchema),
    consecutiveFailures: z
      .int()
      .nonnegative()
      .meta({ description: "Failed deliveries in a row; repeated failure disables the endpoint." }),
    disabledAt: instant.nullable().meta({ description: "Set while the endpoint is off." }),
    disabledReason: z.string().nullable(),
    createdAt: instant,
  })
  .meta({ id: "WebhookEndpoint" });

export const createdWebhookEndpointSchema = webhookEndpointSchema
  .extend({
    secret: z.string().meta({
      description:
        "The signing secret (`whsec_…`), for a Standard Webhooks library. Shown in this answer only.",
    }),
  })
  .meta({ id: "CreatedWebhookEndpoint" });

export const webhookEndpointListSchema = z
  .object({ endpoints: z.array(webhookEndpointSchema).meta({ description: "Newest first." }) })
  .meta({ id: "WebhookEndpointList" });

export const webhookDeliverySchema = z
  .object({
    id: z.string().meta({ description: "The delivery's id (digits), for a replay." }),
    messageId: z
      .string()
      .meta({ description: "The `webhook-id` header: the same on every retry and replay." }),
    eventType: z.string(),
    status: z.enum(["PENDING", "SENDING", "DELIVERED", "FAILED"]),
    attempts: z.int().nonnegative(),
    nextAttemptAt: instant,
    lastStatus: z.int().nullable().meta({ description: "The receiver's last HTTP status." }),
    lastError: z.string().nullable(),
    deliveredAt: instant.nullable(),
    createdAt: instant,
    attemptLog: z.array(
      z.object({
        attemptedAt: instant,
        statusCode: z.int().nullable(),
        durationMs: z.int().nonnegative(),
        error: z.string().nullable(),
      }),
    ),
  })
  .meta({ id: "WebhookDelivery" });

export const webhookEndpointDetailSchema = webhookEndpointSchema
  .extend({
    deliveries: z
      .array(webhookDeliverySchema)
      .meta({ description: "The latest 50 deliveries, newest first." }),
  })
  .meta({ id: "WebhookEndpointDetail" });

export const testEventSentSchema = z
  .object({ deliveryId: z.string(), messageId: z.string() })
  .meta({ id: "WebhookTestSent" });

export const deliveryReplayedSchema = z.object({ deliveryId: z.string() }).meta({ id: "WebhookReplayed" });

export const webhookDeletedSchema = z.object({ id: z.uuid() }).meta({ id: "WebhookDeleted" });
