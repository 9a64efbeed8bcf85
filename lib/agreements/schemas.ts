// One zod schema per input, shared by the admin forms and the services.
import { z } from "zod";

const id = z.uuid({ error: "Unknown agreement version." });
const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { error: "Enter a date as YYYY-MM-DD.", abort: true })
  .refine(
    (value) =>
      !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) &&
      new Date(`${value}T00:00:00Z`).toISOString().startsWith(value),
    {
      error: "Enter a real calendar date.",
    },
  );
/** An HTML checkbox: "on" when ticked, absent otherwise; booleans from JSON callers. */
const checkbox = z
  .union([z.literal("on"), z.literal("true"), z.literal("false"), z.boolean()])
  .optional()
  .transform((value) => value === true || value === "on" || value === "true");

export const MAX_BODY_LENGTH = 200_000;

/** Browsers submit textarea line breaks as CRLF; store LF so the text (and its hash) is what was typed. */
const lf = (value: string) => value.replace(/\r\n?/g, "\n");

export const versionIdSchema = z.object({ versionId: id });

export const draftEditSchema = z.object({
  versionId: id,
  title: z
    .string()
    .trim()
    .min(1, { error: "Enter a title." })
    .max(200, { error: "Keep the title under 200 characters." }),
  bodyMarkdown: z
    .string()
    .transform(lf)
    .refine((value) => value.trim().length > 0, { error: "The agreement text cannot be empty." })
    .refine((value) => value.length <= MAX_BODY_LENGTH, { error: "The agreement text is too long." }),
});

export const previewSchema = z.object({
  markdown: z.string().max(MAX_BODY_LENGTH, { error: "The text is too long." }).transform(lf),
});

export const purposeFieldsSchema = z.object({
  name: z
    .string()
    .trim()
    .min(1, { error: "Enter a name." })
    .max(120, { error: "Keep the name under 120 characters." }),
  description: z
    .string()
    .transform(lf)
    .pipe(
      z
        .string()
        .trim()
        .min(1, { error: "Describe the purpose in plain language." })
        .max(2000, { error: "Keep the description under 2000 characters." }),
    ),
  basic: checkbox,
  dpvTerm: z
    .string()
    .trim()
    .max(120)
    .regex(/^(dpv:[A-Za-z][A-Za-z0-9]*)?$/, {
      error: "Use a DPV term like dpv:ServiceProvision, or leave empty.",
    })
    .optional()
    .transform((value) => value || null),
});

export const addPurposeSchema = purposeFieldsSchema.extend({
  versionId: id,
  key: z
    .string()
    .trim()
    .regex(/^[a-z][a-z0-9-]{1,47}$/, {
      error: "Use 2–48 lower-case letters, digits or hyphens, starting with a letter.",
    }),
});

export const updatePurposeSchema = purposeFieldsSchema.extend({
  versionId: id,
  purposeId: z.uuid({ error: "Unknown purpose." }),
});

export const retirePurposeSchema = z.object({
  versionId: id,
  purposeId: z.uuid({ error: "Unknown purpose." }),
});

export const publishSchema = z.object({
  versionId: id,
  effectiveDate: isoDate,
  lastUpdated: isoDate,
  changeSummary: z
    .string()
    .transform(lf)
    .pipe(z.string().trim().max(2000, { error: "Keep the summary under 2000 characters." }))
    .default(""),
  material: checkbox,
  /** A version of the organisation's past, added with its real (past) date: notifies and asks nobody. */
  historical: checkbox,
  label: z
    .string()
    .trim()
    .max(40, { error: "Keep the label under 40 characters." })
    .optional()
    .transform((value) => value || null),
  reviewed: checkbox.refine((value) => value, { error: "Confirm that you have reviewed the changes." }),
});

export type PublishInput = z.infer<typeof publishSchema>;
export type DraftEditInput = z.infer<typeof draftEditSchema>;
export type AddPurposeInput = z.infer<typeof addPurposeSchema>;
export type UpdatePurposeInput = z.infer<typeof updatePurposeSchema>;
