import { z } from "zod";
import { locales } from "@/lib/i18n/locales";
import { fieldMessage } from "@/lib/validation/messages";

const noNul = (value: string) => !value.includes("\u0000");
const text = (max: number, field: "Title" | "Body") =>
  z
    .string()
    .transform((value) => value.replace(/\r\n?/g, "\n"))
    .pipe(
      z
        .string()
        .trim()
        .min(1, { error: fieldMessage(`translation${field}Required`) })
        .max(max, { error: fieldMessage(`translation${field}TooLong`, { max }) })
        .refine(noNul, { error: fieldMessage(`translation${field}Nul`) }),
    );

/** Purpose fields arrive as `purpose.<key>.name` and `purpose.<key>.description`. */
export const PURPOSE_FIELD = /^purpose\.([a-z0-9-]{1,64})\.(name|description)$/;

export const translationFormSchema = z
  .object({
    versionId: z.uuid({ error: fieldMessage("unknownTranslationVersion") }),
    locale: z.enum(locales, { error: fieldMessage("translationLocale") }),
    title: text(200, "Title"),
    bodyMarkdown: text(1_000_000, "Body"),
  })
  .catchall(z.string().max(10_000, { error: fieldMessage("translationPurposeTooLong") }));

export type TranslationFormInput = z.infer<typeof translationFormSchema>;

/**
 * The form's `confirmBidi` checkbox (one of the catch-all fields): adding, to a
 * published version, a text with Unicode bidi control characters confirmed as intended.
 */
export function confirmsBidi(input: TranslationFormInput): boolean {
  return input.confirmBidi === "on" || input.confirmBidi === "true";
}

export interface PurposeTranslationInput {
  key: string;
  name: string;
  description: string;
}

/**
 * The purpose translations of a form: both fields filled means translated,
 * both empty means "leave untranslated"; one without the other is an error.
 */
export function purposeTranslationsOf(
  input: Record<string, unknown>,
): { ok: true; purposes: PurposeTranslationInput[] } | { ok: false; fieldErrors: Record<string, string[]> } {
  const byKey = new Map<string, { name?: string; description?: string }>();
  for (const [field, value] of Object.entries(input)) {
    const match = PURPOSE_FIELD.exec(field);
    if (!match || typeof value !== "string") continue;
    const entry = byKey.get(match[1]!) ?? {};
    entry[match[2] as "name" | "description"] = value.replace(/\r\n?/g, "\n").trim();
    byKey.set(match[1]!, entry);
  }
  const purposes: PurposeTranslationInput[] = [];
  const fieldErrors: Record<string, string[]> = {};
  for (const [key, { name = "", description = "" }] of byKey) {
    if (name.includes("\u0000") || description.includes("\u0000")) {
      fieldErrors[`purpose.${key}.name`] = [fieldMessage("translationPurposeNul")];
    } else if (name && description) {
      purposes.push({ key, name, description });
    } else if (name || description) {
      fieldErrors[`purpose.${key}.${name ? "description" : "name"}`] = [
        fieldMessage("translationPurposeBoth"),
      ];
    }
  }
  return Object.keys(fieldErrors).length ? { ok: false, fieldErrors } : { ok: true, purposes };
}
