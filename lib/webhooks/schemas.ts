// One zod schema per input, shared by the admin form, the API and the service.
import { z } from "zod";
import { WEBHOOK_EVENT_TYPES, webhookEventTypeSchema } from "@/lib/webhooks/event-types";

/** A form posts each event type as its own checkbox, `event:consent.changed=on`; JSON sends `eventTypes`. */
function collectEventCheckboxes(raw: unknown): unknown {
  if (typeof raw !== "object" || raw === null || "eventTypes" in raw) return raw;
  const fields = raw as Record<string, unknown>;
  const eventTypes = WEBHOOK_EVENT_TYPES.filter((type) => fields[`event:${type}`] === "on");
  const rest = Object.fromEntries(Object.entries(fields).filter(([key]) => !key.startsWith("event:")));
  return { ...rest, eventTypes };
}

const URL_ERROR = "Enter the endpoint's full address, starting with https:// (or http:// for testing).";

export const webhookUrlSchema = z
  .string({ error: URL_ERROR })
  .trim()
  .max(2000, { error: "Keep the address under 2,000 characters." })
  .refine(
    (value) => {
      if (!URL.canParse(value)) return false;
      const url = new URL(value);
      return (url.protocol === "https:" || url.protocol === "http:") && !url.username && !url.password;
    },
    { error: URL_ERROR },
  );

export const createWebhookSchema = z.preprocess(
  collectEventCheckboxes,
  z.object({
    url: webhookUrlSchema,
    description: z
      .string()
      .trim()
      .max(200, { error: "Keep the description under 200 characters." })
      .refine((value) => !value.includes("\0"), { error: "The description cannot contain NUL." })
      .default(""),
    eventTypes: z
      .array(webhookEventTypeSchema)
      .min(1, { error: "Choose at least one event type." })
      .transform((types) => [...new Set(types)]),
  }),
);
export type CreateWebhookInput = z.infer<typeof createWebhookSchema>;

export const webhookIdSchema = z.object({ endpointId: z.uuid({ error: "Unknown webhook endpoint." }) });

export const deliveryIdSchema = z.object({
  deliveryId: z
    .union([z.string(), z.number()])
    .transform(String)
    .pipe(z.string().regex(/^\d{1,18}$/, { error: "Unknown delivery." })),
});

export const setEnabledSchema = z.object({
  endpointId: z.uuid({ error: "Unknown webhook endpoint." }),
  enabled: z.union([z.boolean(), z.enum(["true", "false"]).transform((value) => value === "true")]),
});
