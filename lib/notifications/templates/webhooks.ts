// Email to admins when a webhook endpoint was disabled after repeated failures
// (docs/webhooks.md), in each admin's language. Pure.
import { z } from "zod";
import { translatorFor } from "@/lib/i18n/translator";
import type { Locale } from "@/lib/i18n/locales";
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
  locale: Locale = "en",
): ComposedEmail {
  const t = translatorFor(locale, "emails.webhookDisabled");
  return composeBlocks(t("subject"), [
    t("intro", { url: payload.url, failures: payload.failures }),
    {
      facts: [
        [t("endpoint"), payload.url],
        [t("lastError"), payload.lastError ?? t("noError")],
      ],
    },
    t("kept"),
    { link: t("link"), href: appLink(appUrl, `/admin/webhooks/${payload.endpointId}`) },
  ]);
}
