// The outbox's templates: each kind of email, the payload it is queued with
// (validated again when sent: a malformed row fails for good instead of
// sending nonsense) and the function that writes it. Payloads hold template
// parameters only, never a secret: links with tokens are derived when the
// mail is sent (lib/accounts/tokens.ts).
import { z } from "zod";
import type { ComposedEmail } from "@/lib/notifications/blocks";
import type { Locale } from "@/lib/i18n/locales";
import {
  changeEmailEmail,
  changeEmailPayload,
  emailChangedEmail,
  emailChangedPayload,
  MissingTokenSecret,
  passwordChangedEmail,
  passwordChangedPayload,
  passwordResetEmail,
  signUpExistingEmail,
  signUpExistingPayload,
  tokenMailPayload,
  verifyEmailEmail,
  type TokenSecret,
} from "@/lib/notifications/templates/accounts";
import {
  accountClosedEmail,
  accountClosedPayload,
  accountRestoredEmail,
  accountRestoredPayload,
  requestAnsweredEmail,
  requestAnsweredPayload,
  requestReceivedEmail,
  requestReceivedPayload,
} from "@/lib/notifications/templates/rights";
import { webhookDisabledEmail, webhookDisabledPayload } from "@/lib/notifications/templates/webhooks";

interface Template<S extends z.ZodType> {
  payload: S;
  compose(payload: z.infer<S>, appUrl: string, locale: Locale, tokenSecret?: TokenSecret): ComposedEmail;
}

const template = <S extends z.ZodType>(t: Template<S>) => t;

export const MAIL_TEMPLATES = {
  "request-received": template({ payload: requestReceivedPayload, compose: requestReceivedEmail }),
  "request-answered": template({ payload: requestAnsweredPayload, compose: requestAnsweredEmail }),
  "account-closed": template({ payload: accountClosedPayload, compose: accountClosedEmail }),
  "account-restored": template({ payload: accountRestoredPayload, compose: accountRestoredEmail }),
  "webhook-disabled": template({ payload: webhookDisabledPayload, compose: webhookDisabledEmail }),
  "verify-email": template({ payload: tokenMailPayload, compose: verifyEmailEmail }),
  "password-reset": template({ payload: tokenMailPayload, compose: passwordResetEmail }),
  "sign-up-existing": template({ payload: signUpExistingPayload, compose: signUpExistingEmail }),
  "change-email": template({ payload: changeEmailPayload, compose: changeEmailEmail }),
  "email-changed": template({ payload: emailChangedPayload, compose: emailChangedEmail }),
  "password-changed": template({ payload: passwordChangedPayload, compose: passwordChangedEmail }),
};

export type MailKind = keyof typeof MAIL_TEMPLATES;
export type MailPayload<K extends MailKind> = z.input<(typeof MAIL_TEMPLATES)[K]["payload"]>;

export class UnknownMailError extends Error {}

/**
 * Writes the email for an outbox row of `kind` in the recipient's language;
 * throws UnknownMailError for a kind or payload it cannot use. `tokenSecret`
 * derives the secret of an account link from its token's id (the worker
 * passes lib/accounts/tokens.ts's); a mail with such a link cannot be written without it.
 */
export function composeMail(
  kind: string,
  payload: unknown,
  appUrl: string,
  locale: Locale = "en",
  tokenSecret?: TokenSecret,
): ComposedEmail {
  const found = (MAIL_TEMPLATES as Record<string, Template<z.ZodType>>)[kind];
  if (!found) throw new UnknownMailError(`unknown mail kind "${kind}"`);
  const parsed = found.payload.safeParse(payload);
  if (!parsed.success) throw new UnknownMailError(`malformed payload for "${kind}": ${parsed.error.message}`);
  try {
    return found.compose(parsed.data, appUrl, locale, tokenSecret);
  } catch (error) {
    if (error instanceof MissingTokenSecret) throw new UnknownMailError(error.message);
    throw error;
  }
}
