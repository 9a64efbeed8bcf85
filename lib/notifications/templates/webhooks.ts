// Email to admins when a webhook endpoint was disabled after repeated failures (docs/webhooks.md). Pure.
import { z } from "zod";
import { appLink, composeBlocks, type ComposedEmail } from "@/lib/notifications/blocks";

export const webhookDisabledPayload = z.object({
  endpointId: z.uuid(),
  url: z.string(),
  failures: z.number().int(),
  lastError: z.string().nullable(),
});

export function webhookDisabledEmail(
  payload: z.infer<typeof webhookDisabledPayload>,
  appUrl: string,
): ComposedEmail {
  return composeBlocks("A webhook endpoint was disabled", [
    `Accord stopped sending webhooks to ${payload.url}: its last ${payload.failures} delivery attempts failed.`,
    {
      facts: [
        ["Endpoint", payload.url],
        ["Last error", payload.lastError ?? "none recorded"],
      ],
    },
    "Deliveries queued since then are kept. Fix the endpoint, then enable it again: they will be sent.",
    { link: "Open the endpoint", href: appLink(appUrl, `/admin/webhooks/${payload.endpointId}`) },
  ]);
}
