// Validation messages by stable key (lib/i18n/messages/<locale>/serverErrors.json,
// "fields"). A schema names its message with fieldMessage(key): the issue
// carries the English text, as the JSON API has always answered, and the key
// is remembered for that text so a form can be answered in the reader's
// language (lib/i18n/server-errors.ts). Framework-free: the forms' schemas
// load it in the browser too.
import { createTranslator } from "use-intl/core";
import en from "@/lib/i18n/messages/en/serverErrors.json" with { type: "json" };
import type { MessageValues } from "@/lib/result";

export type FieldMessageKey = keyof typeof en.fields;

type Format = (key: string, values?: MessageValues) => string;
const english = createTranslator({ locale: "en", messages: en, namespace: "fields" }) as unknown as Format;

const keyOfText = new Map<string, { key: FieldMessageKey; values?: MessageValues }>();

/** The English message of `key` (with its values), remembered so it can be translated later. */
export function fieldMessage(key: FieldMessageKey, values?: MessageValues): string {
  const text = english(key, values);
  keyOfText.set(text, values ? { key, values } : { key });
  return text;
}

/** The key (and values) a message was written from, if it came from fieldMessage. */
export function fieldMessageKey(text: string): { key: FieldMessageKey; values?: MessageValues } | undefined {
  return keyOfText.get(text);
}

/** The stable code of each field message: its catalogue key, or "invalid" for one written from no key (zod's own). */
export function fieldErrorCodes(fieldErrors: Record<string, string[]>): Record<string, string[]> {
  return Object.fromEntries(
    Object.entries(fieldErrors).map(([field, messages]) => [
      field,
      messages.map((message) => keyOfText.get(message)?.key ?? "invalid"),
    ]),
  );
}
