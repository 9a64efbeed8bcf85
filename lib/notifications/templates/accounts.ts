// Emails about the account itself: confirming an address, resetting or
// changing a password, changing the address. Pure. Links that carry a token
// are built from the token's id by `tokenSecret` (lib/accounts/tokens.ts), so
// the outbox payload holds no secret.
import { z } from "zod";
import { formatDateTime } from "@/lib/format";
import { translatorFor } from "@/lib/i18n/translator";
import type { Locale } from "@/lib/i18n/locales";
import { appLink, composeBlocks, type ComposedEmail } from "@/lib/notifications/blocks";

/** The secret of a token, from its id. */
export type TokenSecret = (tokenId: string) => string;

/** Thrown when a mail with a link is written without a way to derive it. */
export class MissingTokenSecret extends Error {}

function tokenLink(
  appUrl: string,
  path: string,
  tokenId: string,
  tokenSecret: TokenSecret | undefined,
): string {
  if (!tokenSecret) throw new MissingTokenSecret("no token secret to write this link with");
  return appLink(appUrl, `${path}?token=${tokenSecret(tokenId)}`);
}

const when = (iso: string, locale: Locale) => formatDateTime(new Date(iso), locale);

export const tokenMailPayload = z.object({ tokenId: z.uuid(), expiresAt: z.iso.datetime() });

export function verifyEmailEmail(
  payload: z.infer<typeof tokenMailPayload>,
  appUrl: string,
  locale: Locale,
  tokenSecret?: TokenSecret,
): ComposedEmail {
  const t = translatorFor(locale, "accountMail.verify");
  return composeBlocks(t("subject"), [
    t("intro"),
    { link: t("link"), href: tokenLink(appUrl, "/verify-email", payload.tokenId, tokenSecret) },
    t("expires", { when: when(payload.expiresAt, locale) }),
    t("notYou"),
  ]);
}

export function passwordResetEmail(
  payload: z.infer<typeof tokenMailPayload>,
  appUrl: string,
  locale: Locale,
  tokenSecret?: TokenSecret,
): ComposedEmail {
  const t = translatorFor(locale, "accountMail.reset");
  return composeBlocks(t("subject"), [
    t("intro"),
    { link: t("link"), href: tokenLink(appUrl, "/reset-password", payload.tokenId, tokenSecret) },
    t("expires", { when: when(payload.expiresAt, locale) }),
    t("notYou"),
  ]);
}

export const signUpExistingPayload = z.object({});

/** Someone tried to sign up with an address that already has an account: tell its owner, nobody else. */
export function signUpExistingEmail(
  _payload: z.infer<typeof signUpExistingPayload>,
  appUrl: string,
  locale: Locale,
): ComposedEmail {
  const t = translatorFor(locale, "accountMail.existing");
  return composeBlocks(t("subject"), [
    t("intro"),
    { link: t("signIn"), href: appLink(appUrl, "/signin") },
    { link: t("reset"), href: appLink(appUrl, "/forgot-password") },
    t("notYou"),
  ]);
}

export const changeEmailPayload = tokenMailPayload.extend({ newEmail: z.string() });

/** Sent to the new address: the link confirms it. */
export function changeEmailEmail(
  payload: z.infer<typeof changeEmailPayload>,
  appUrl: string,
  locale: Locale,
  tokenSecret?: TokenSecret,
): ComposedEmail {
  const t = translatorFor(locale, "accountMail.changeEmail");
  return composeBlocks(t("subject"), [
    t("intro", { email: payload.newEmail }),
    { link: t("link"), href: tokenLink(appUrl, "/confirm-email", payload.tokenId, tokenSecret) },
    t("expires", { when: when(payload.expiresAt, locale) }),
    t("notYou"),
  ]);
}

export const emailChangedPayload = z.object({ newEmail: z.string(), changedAt: z.iso.datetime() });

/** Sent to the old address once the new one is confirmed. */
export function emailChangedEmail(
  payload: z.infer<typeof emailChangedPayload>,
  appUrl: string,
  locale: Locale,
): ComposedEmail {
  const t = translatorFor(locale, "accountMail.emailChanged");
  return composeBlocks(t("subject"), [
    t("intro", { email: payload.newEmail, when: when(payload.changedAt, locale) }),
    t("notYou"),
    { link: t("request"), href: appLink(appUrl, "/account/requests") },
  ]);
}

export const passwordChangedPayload = z.object({ changedAt: z.iso.datetime() });

export function passwordChangedEmail(
  payload: z.infer<typeof passwordChangedPayload>,
  appUrl: string,
  locale: Locale,
): ComposedEmail {
  const t = translatorFor(locale, "accountMail.passwordChanged");
  return composeBlocks(t("subject"), [
    t("intro", { when: when(payload.changedAt, locale) }),
    t("notYou"),
    { link: t("reset"), href: appLink(appUrl, "/forgot-password") },
  ]);
}
