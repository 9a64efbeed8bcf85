// Expected failures in the reader's language. Services answer with a stable
// `code` and an English `message` (lib/result.ts), which the JSON API returns
// as they are; a form shows the catalogue's text for the code and for each
// field message (lib/validation/messages.ts), in the language of the page.
import { createTranslator } from "use-intl/core";
import en from "@/lib/i18n/messages/en";
import zhCN from "@/lib/i18n/messages/zh-CN";
import type { Locale } from "@/lib/i18n/locales";
import type { Failure, FieldErrors, MessageValues } from "@/lib/result";
import { fieldMessageKey } from "@/lib/validation/messages";

interface Translate {
  (key: string, values?: MessageValues): string;
  has(key: string): boolean;
}

const catalogues = { en, "zh-CN": zhCN } as const;
const translators = new Map<Locale, Translate>();

function translatorOf(locale: Locale): Translate {
  let found = translators.get(locale);
  if (!found) {
    found = createTranslator({
      locale,
      messages: catalogues[locale] as typeof en,
      namespace: "serverErrors",
    }) as unknown as Translate;
    translators.set(locale, found);
  }
  return found;
}

/** A failure's message for a reader of `locale`: the catalogue's text for its code, else its own. */
export function failureMessage(
  failure: Pick<Failure, "code" | "message" | "values">,
  locale: Locale,
): string {
  const t = translatorOf(locale);
  const key = `codes.${failure.code}`;
  return t.has(key) ? t(key, failure.values) : failure.message;
}

/**
 * One field message in `locale`: the catalogue's text for the key it was
 * written from. A message from no key (zod's own) is kept as it is: English
 * that says what is wrong helps more than a vague sentence in the reader's
 * language.
 */
export function fieldErrorMessage(message: string, locale: Locale): string {
  const known = fieldMessageKey(message);
  return known ? translatorOf(locale)(`fields.${known.key}`, known.values) : message;
}

/** Each field's messages in `locale`. */
export function localizeFieldErrors(fieldErrors: FieldErrors, locale: Locale): FieldErrors {
  return Object.fromEntries(
    Object.entries(fieldErrors).map(([field, messages]) => [
      field,
      messages.map((message) => fieldErrorMessage(message, locale)),
    ]),
  );
}

/** A failure as a form shows it to a reader of `locale`; the code and status are unchanged. */
export function localizeFailure(failure: Failure, locale: Locale): Failure {
  return {
    ...failure,
    message: failureMessage(failure, locale),
    ...(failure.fieldErrors ? { fieldErrors: localizeFieldErrors(failure.fieldErrors, locale) } : {}),
  };
}
