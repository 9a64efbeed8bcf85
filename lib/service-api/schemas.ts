// The service API's inputs and answers as zod schemas: the routes validate
// with them, the handlers' answers are typed by them, and the OpenAPI
// document (lib/service-api/openapi.ts) is generated from them.
import { z } from "zod";

const sha256 = z
  .string()
  .regex(/^[0-9a-f]{64}$/)
  .meta({ description: "SHA-256, 64 lowercase hex digits." });
const instant = z.iso
  .datetime()
  .meta({ description: "ISO 8601 UTC instant, e.g. 2026-11-29T10:00:00.000Z." });

export const errorSchema = z
  .object({
    error: z.object({
      code: z.string().meta({ description: "Stable machine-readable reason, e.g. `insufficient_scope`." }),
      message: z.string().meta({ description: "Human-readable explanation (English)." }),
      fieldErrors: z
        .record(z.string(), z.array(z.string()))
        .optional()
        .meta({ description: "Per-field messages for `invalid_input`." }),
    }),
  })
  .meta({ id: "Error" });

export const purposeSchema = z
  .object({
    key: z.string().meta({ description: "Stable purpose key, e.g. `third-party-sharing`." }),
    name: z.string(),
    description: z.string(),
    basic: z
      .boolean()
      .meta({ description: "Needed to provide the service: cannot be withdrawn separately." }),
    dpvTerm: z.string().nullable().meta({ description: "W3C Data Privacy Vocabulary term." }),
    noticeSha256: sha256.meta({ description: "SHA-256 of the purpose notice as shown (docs/ledger.md §6)." }),
  })
  .meta({ id: "Purpose" });

export const versionSummarySchema = z
  .object({
    number: z.int().positive(),
    title: z.string(),
    material: z.boolean().meta({ description: "A material revision needs fresh acceptance." }),
    changeSummary: z.string().nullable(),
    publishedAt: instant,
    effectiveAt: instant,
    lastUpdated: z.iso.date().nullable(),
  })
  .meta({ id: "AgreementVersionSummary" });

export const versionSchema = versionSummarySchema
  .extend({
    bodySha256: sha256.meta({ description: "SHA-256 of bodyMarkdown: the notice hash of agreement events." }),
    bodyMarkdown: z
      .string()
      .meta({ description: "The agreement text exactly as shown; its SHA-256 is bodySha256." }),
    purposes: z.array(purposeSchema),
    url: z.url().meta({ description: "The version's page for people." }),
  })
  .meta({ id: "AgreementVersion" });

export const versionListSchema = z
  .object({
    versions: z.array(versionSummarySchema).meta({ description: "Published versions, newest first." }),
    inEffect: z.int().positive().nullable().meta({ description: "Number of the version in effect now." }),
    upcoming: z
      .int()
      .positive()
      .nullable()
      .meta({ description: "Number of a published version that takes effect later, if any." }),
  })
  .meta({ id: "AgreementVersionList" });

/** Path parameter: a published version's number. */
export const versionNumberParamSchema = z.object({
  number: z
    .string()
    .regex(/^[1-9]\d{0,8}$/, { error: "A version number is a positive whole number." })
    .transform(Number)
    .meta({ description: "The version's public number." }),
});

export type VersionSummaryOut = z.input<typeof versionSummarySchema>;
export type VersionOut = z.input<typeof versionSchema>;
export type VersionListOut = z.input<typeof versionListSchema>;

export const purposeConsentSchema = z
  .enum(["required", "granted", "not-granted", "needs-fresh-consent"])
  .meta({
    id: "PurposeConsent",
    description:
      "`required`: a basic purpose of the accepted agreement; `granted`: consent given to the notice now in force; " +
      "`not-granted`: never given or withdrawn; `needs-fresh-consent`: given to an earlier notice that has changed, so it no longer counts (PIPL Art. 14).",
  });

export const subjectStatusSchema = z
  .object({
    subjectId: z.string().meta({ description: "Your id for the user (the external subject id)." }),
    known: z.boolean().meta({ description: "Accord holds a consent record for this subject." }),
    agreement: z.object({
      acceptedVersion: z.int().positive().nullable(),
      acceptedAt: instant.nullable(),
      inEffectVersion: z.int().positive().nullable(),
      reconsent: z.enum(["none", "required", "upcoming", "notice"]).meta({
        description:
          "`required`: a material version is in effect and not accepted — ask before relying on consent; " +
          "`upcoming`: a material version is scheduled; `notice`: a non-material revision was not yet shown.",
      }),
      reconsentVersion: z.int().positive().nullable(),
    }),
    purposes: z
      .array(
        z.object({
          key: z.string(),
          basic: z.boolean(),
          consent: purposeConsentSchema,
          granted: z
            .boolean()
            .meta({ description: "True for `required` and `granted`: you may process for it." }),
          method: z.enum(["WEB", "API", "APP", "GPC", "SYSTEM"]).nullable(),
          updatedAt: instant.nullable(),
        }),
      )
      .meta({
        description: "Purposes of the accepted version (of the version in effect when nothing was accepted).",
      }),
    seq: z.int().nonnegative().meta({ description: "The subject's ledger position this status reflects." }),
  })
  .meta({ id: "SubjectStatus" });

export type SubjectStatusOut = z.input<typeof subjectStatusSchema>;
