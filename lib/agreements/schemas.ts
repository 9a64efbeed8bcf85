// One zod schema per input, shared by the admin forms and the services.
import { z } from "zod";
import { fieldMessage } from "@/lib/validation/messages";

const id = z.uuid({ error: fieldMessage("unknownVersion") });
const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { error: fieldMessage("dateFormat"), abort: true })
  .refine(
    (value) =>
      !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) &&
      new Date(`${value}T00:00:00Z`).toISOString().startsWith(value),
    {
      error: fieldMessage("dateReal"),
    },
  );
/** An HTML checkbox: "on" when ticked, absent otherwise; booleans from JSON callers. */
export const checkbox = z
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
    .min(1, { error: fieldMessage("titleRequired") })
    .max(200, { error: fieldMessage("titleTooLong") }),
  bodyMarkdown: z
    .string()
    .transform(lf)
    .refine((value) => value.trim().length > 0, { error: fieldMessage("bodyEmpty") })
    .refine((value) => value.length <= MAX_BODY_LENGTH, { error: fieldMessage("bodyTooLong") }),
});

export const previewSchema = z.object({
  markdown: z
    .string()
    .max(MAX_BODY_LENGTH, { error: fieldMessage("textTooLong") })
    .transform(lf),
});

export const purposeFieldsSchema = z.object({
  name: z
    .string()
    .trim()
    .min(1, { error: fieldMessage("nameRequired") })
    .max(120, { error: fieldMessage("nameTooLong") }),
  description: z
    .string()
    .transform(lf)
    .pipe(
      z
        .string()
        .trim()
        .min(1, { error: fieldMessage("descriptionRequired") })
        .max(2000, { error: fieldMessage("descriptionTooLong") }),
    ),
  basic: checkbox,
  dpvTerm: z
    .string()
    .trim()
    .max(120)
    .regex(/^(dpv:[A-Za-z][A-Za-z0-9]*)?$/, {
      error: fieldMessage("dpvTerm"),
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
      error: fieldMessage("purposeKey"),
    }),
});

export const updatePurposeSchema = purposeFieldsSchema.extend({
  versionId: id,
  purposeId: z.uuid({ error: fieldMessage("unknownPurpose") }),
});

export const retirePurposeSchema = z.object({
  versionId: id,
  purposeId: z.uuid({ error: fieldMessage("unknownPurpose") }),
});

export const publishSchema = z.object({
  versionId: id,
  effectiveDate: isoDate,
  lastUpdated: isoDate,
  changeSummary: z
    .string()
    .transform(lf)
    .pipe(
      z
        .string()
        .trim()
        .max(2000, { error: fieldMessage("summaryTooLong") }),
    )
    .default(""),
  material: checkbox,
  /** A version of the organisation's past, added with its real (past) date: notifies and asks nobody. */
  historical: checkbox,
  label: z
    .string()
    .trim()
    .max(40, { error: fieldMessage("labelTooLong") })
    .optional()
    .transform((value) => value || null),
  reviewed: checkbox.refine((value) => value, { error: fieldMessage("confirmReviewed") }),
  /** The text has Unicode bidi control characters and the admin confirms they are intended. */
  confirmBidi: checkbox,
});

export type PublishInput = z.infer<typeof publishSchema>;
export type DraftEditInput = z.infer<typeof draftEditSchema>;
export type AddPurposeInput = z.infer<typeof addPurposeSchema>;
export type UpdatePurposeInput = z.infer<typeof updatePurposeSchema>;
