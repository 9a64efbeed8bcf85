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
      fieldErrorCodes: z.record(z.string(), z.array(z.string())).optional().meta({
        description:
          "The stable code of each message in `fieldErrors`, in the same order (e.g. `emailInvalid`; `invalid` for a generic one).",
      }),
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
  .enum(["required", "granted", "not-granted", "needs-fresh-consent", "account-closed"])
  .meta({
    id: "PurposeConsent",
    description:
      "`required`: a basic purpose of the accepted agreement; `granted`: consent given to the notice now in force; " +
      "`not-granted`: never given or withdrawn; `needs-fresh-consent`: given to an earlier notice that has changed, so it no longer counts (PIPL Art. 14); " +
      "`account-closed`: the person closed their account (deregistered, agreement §6.5), so nothing may be processed for them, basic purposes included.",
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
    closedAt: instant.nullable().meta({
      description:
        "When the person closed the Accord account this subject is linked to (deregistered, agreement §6.5); " +
        "while it is set every purpose reads `account-closed`. Null for an open account or an unlinked subject. " +
        "It clears if they cancel the closure during its grace period.",
    }),
    seq: z.int().nonnegative().meta({ description: "The subject's ledger position this status reflects." }),
  })
  .meta({ id: "SubjectStatus" });

export type SubjectStatusOut = z.input<typeof subjectStatusSchema>;

/**
 * The service's own id for one of its users: what it already calls them.
 * Printable ASCII without spaces or slashes, at most 128 characters (e.g. a
 * database id, a UUID, an opaque string; avoid e-mail addresses, which are
 * personal data that outlive the account).
 */
export const externalSubjectIdSchema = z
  .string({ error: "A subject id is required." })
  .regex(/^[A-Za-z0-9._~:@+=-]{1,128}$/, {
    error: "A subject id is 1 to 128 characters: letters, digits and . _ ~ : @ + = -",
  })
  .meta({
    description: "Your own id for the user: 1 to 128 of A-Z a-z 0-9 . _ ~ : @ + = -",
    example: "user-8731",
  });

export const subjectParamsSchema = z.object({ subjectId: externalSubjectIdSchema });

export const MAX_BATCH_SUBJECTS = 1000;

export const batchStatusBodySchema = z
  .strictObject({
    subjectIds: z
      .array(externalSubjectIdSchema)
      .min(1, { error: "Ask for at least one subject." })
      .max(MAX_BATCH_SUBJECTS, { error: `Ask for at most ${MAX_BATCH_SUBJECTS} subjects at a time.` }),
  })
  .meta({ id: "BatchStatusRequest" });

export const batchStatusSchema = z
  .object({
    statuses: z
      .array(subjectStatusSchema)
      .meta({ description: "One status per id asked, in the same order." }),
  })
  .meta({ id: "BatchStatus" });

const evidenceSchema = z
  .strictObject({
    ipAddress: z.union([z.ipv4(), z.ipv6()], { error: "Expected an IPv4 or IPv6 address." }).optional().meta({
      description:
        "The user's address when they decided. Stored truncated (IPv4 /24, IPv6 /48), never whole.",
    }),
    userAgent: z
      .string()
      .max(512, { error: "At most 512 characters." })
      .optional()
      .meta({ description: "The user's app or browser, e.g. `IMApp/7.2 (iOS 19.1)`." }),
    locale: z
      .string()
      .regex(/^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8}){0,4}$/, { error: "Expected a BCP 47 language tag." })
      .max(35)
      .optional()
      .meta({
        description:
          "The user's language (BCP 47), e.g. `zh-CN`. For an acceptance the ledger records the language of the text accepted instead.",
      }),
  })
  .meta({
    id: "Evidence",
    description: "What you know about how the user decided, stored in the ledger event.",
  });

export const recordDecisionBodySchema = z
  .discriminatedUnion(
    "decision",
    [
      z
        .strictObject({
          decision: z.literal("accept-agreement"),
          versionNumber: z.int().positive().meta({ description: "The agreement version the user accepted." }),
          noticeSha256: sha256.meta({
            description:
              "SHA-256 of the agreement text you showed: the version's `bodySha256`, or a published translation's.",
          }),
          evidence: evidenceSchema,
        })
        .meta({ id: "AcceptAgreementDecision" }),
      z
        .strictObject({
          decision: z.enum(["grant", "withdraw"]),
          purposeKey: z
            .string()
            .regex(/^[a-z0-9][a-z0-9-]{0,63}$/, { error: "Unknown purpose." })
            .meta({ description: "A non-basic purpose of the version the user accepted." }),
          versionNumber: z.int().positive().optional().meta({
            description:
              "The version whose purpose you showed; refused as stale if it is not the accepted one.",
          }),
          noticeSha256: sha256.optional().meta({
            description: "The purpose notice you showed; refused as stale if it has changed since.",
          }),
          evidence: evidenceSchema,
        })
        .meta({ id: "PurposeDecision" }),
    ],
    { error: 'decision is "accept-agreement", "grant" or "withdraw".' },
  )
  .meta({ id: "ConsentDecision" });

export type RecordDecisionBody = z.infer<typeof recordDecisionBodySchema>;

export const recordedDecisionSchema = z
  .object({
    subjectId: z.string(),
    replayed: z
      .boolean()
      .meta({ description: "True when this Idempotency-Key was already used: nothing new was recorded." }),
    event: z.object({
      id: z.uuid(),
      seq: z.int().positive(),
      hash: sha256,
      recordedAt: instant,
      action: z.enum(["AGREEMENT_ACCEPTED", "PURPOSE_GRANTED", "PURPOSE_WITHDRAWN"]),
      method: z.enum(["WEB", "API", "APP", "GPC", "SYSTEM"]),
      purposeKey: z.string().nullable(),
      versionNumber: z.int().positive(),
    }),
  })
  .meta({ id: "RecordedDecision" });

export type RecordedDecisionOut = z.input<typeof recordedDecisionSchema>;

/** Idempotency-Key request header: visible ASCII (IETF httpapi draft). */
export const idempotencyKeySchema = z
  .string({ error: "Send an Idempotency-Key header (1 to 200 visible ASCII characters)." })
  .regex(/^[\x21-\x7e]{1,200}$/, { error: "Idempotency-Key must be 1 to 200 visible ASCII characters." })
  .meta({ description: "Your id for this decision; a retry with the same key records nothing new." });

export const tokenRequestBodySchema = z
  .strictObject({
    ttlSeconds: z
      .int()
      .min(30, { error: "At least 30 seconds." })
      .max(3600, { error: "At most 3600 seconds." })
      .optional()
      .meta({ description: "Lifetime in seconds (default 300)." }),
    audience: z
      .string()
      .min(1)
      .max(200)
      .optional()
      .meta({ description: "The `aud` claim: the service that will verify the token." }),
  })
  .meta({ id: "TokenRequest" });

export const issuedTokenSchema = z
  .object({
    token: z.string().meta({ description: "Compact JWS (docs/tokens.md)." }),
    tokenType: z.literal("consent+jwt"),
    expiresAt: instant,
    kid: z.string().meta({ description: "The signing key, published at /.well-known/jwks.json." }),
    status: subjectStatusSchema,
  })
  .meta({ id: "IssuedToken" });
