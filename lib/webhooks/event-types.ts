// The events Accord sends to webhook endpoints (docs/webhooks.md). The
// database checks the same list (webhook_endpoints_event_types_known).
import { z } from "zod";

export const WEBHOOK_EVENT_TYPES = [
  "consent.changed",
  "agreement.published",
  "agreement.accepted",
  "subject.deregistered",
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** Sent by "send test event"; never subscribed to, delivered to the one endpoint asked. */
export const TEST_EVENT_TYPE = "webhook.test";

export const webhookEventTypeSchema = z.enum(WEBHOOK_EVENT_TYPES, {
  error: `An event type is one of ${WEBHOOK_EVENT_TYPES.join(", ")}.`,
});
