// Emails about rights requests (agreement §6.2, §6.6), in the recipient's language. Pure.
import { z } from "zod";
import { formatDate } from "@/lib/format";
import { translatorFor } from "@/lib/i18n/translator";
import type { Locale } from "@/lib/i18n/locales";
import { appLink, composeBlocks, type ComposedEmail } from "@/lib/notifications/blocks";

const type = z.enum(["CORRECTION", "DELETION", "QUESTION", "CLOSURE"]);

export const requestReceivedPayload = z.object({
  reference: z.string(),
  type,
  receivedAt: z.iso.datetime(),
  dueAt: z.iso.datetime(),
});

export function requestReceivedEmail(
  payload: z.infer<typeof requestReceivedPayload>,
  appUrl: string,
  locale: Locale = "en",
): ComposedEmail {
  const t = translatorFor(locale, "emails");
  const received = formatDate(new Date(payload.receivedAt), locale);
  return composeBlocks(t("requestReceived.subject", { reference: payload.reference }), [
    t("requestReceived.intro", { type: t(`requestTypes.${payload.type}`), received }),
    {
      facts: [
        [t("requestReceived.reference"), payload.reference],
        [t("requestReceived.answerBy"), formatDate(new Date(payload.dueAt), locale)],
      ],
    },
    t("requestReceived.quote"),
    {
      link: t("requestReceived.link"),
      href: appLink(appUrl, `/account/requests/${payload.reference}`),
    },
  ]);
}

export const requestAnsweredPayload = z.object({
  reference: z.string(),
  type,
  decision: z.enum(["COMPLETED", "REFUSED"]),
  outcome: z.string(),
});

export function requestAnsweredEmail(
  payload: z.infer<typeof requestAnsweredPayload>,
  appUrl: string,
  locale: Locale = "en",
): ComposedEmail {
  const t = translatorFor(locale, "emails.requestAnswered");
  const values = {
    type: translatorFor(locale, "emails")(`requestTypes.${payload.type}`),
    reference: payload.reference,
  };
  const completed = payload.decision === "COMPLETED";
  return composeBlocks(t("subject", { reference: payload.reference }), [
    completed ? t("completed", values) : t("refused", values),
    { quote: payload.outcome },
    completed ? t("completedNext") : t("refusedNext"),
    { link: t("link"), href: appLink(appUrl, `/account/requests/${payload.reference}`) },
  ]);
}

export const accountClosedPayload = z.object({
  reference: z.string(),
  closedAt: z.iso.datetime(),
  eraseAfter: z.iso.datetime(),
});

/** Deregistration (§6.5): what happened, what happens next, and how to undo it in time. */
export function accountClosedEmail(
  payload: z.infer<typeof accountClosedPayload>,
  appUrl: string,
  locale: Locale = "en",
): ComposedEmail {
  const t = translatorFor(locale, "emails.accountClosed");
  const erase = formatDate(new Date(payload.eraseAfter), locale);
  return composeBlocks(t("subject"), [
    t("intro", { closed: formatDate(new Date(payload.closedAt), locale) }),
    {
      facts: [
        [t("reference"), payload.reference],
        [t("erasedAfter"), erase],
      ],
    },
    t("whatIsErased", { erase }),
    t("changedMind"),
    { link: t("link"), href: appLink(appUrl, "/account/deregister/cancel") },
  ]);
}

export const accountRestoredPayload = z.object({
  reference: z.string().nullable(),
  restoredAt: z.iso.datetime(),
});

export function accountRestoredEmail(
  payload: z.infer<typeof accountRestoredPayload>,
  appUrl: string,
  locale: Locale = "en",
): ComposedEmail {
  const t = translatorFor(locale, "emails.accountRestored");
  const restored = formatDate(new Date(payload.restoredAt), locale);
  return composeBlocks(t("subject"), [
    payload.reference
      ? t("introWithReference", { restored, reference: payload.reference })
      : t("intro", { restored }),
    t("notYou"),
    { link: t("link"), href: appLink(appUrl, "/signin") },
  ]);
}
