import { z } from "zod";
import { digitsInt } from "@/lib/http/query-params";
import { fieldMessage } from "@/lib/validation/messages";

export const sha256HexSchema = z
  .string()
  .regex(/^[0-9a-f]{64}$/, { error: "Expected a SHA-256 hex digest." });

export const acceptAgreementSchema = z.object({
  versionId: z.uuid({ error: fieldMessage("unknownVersion") }),
  shownSha256: sha256HexSchema,
});

/** Purpose keys are stable slugs declared by agreement versions (e.g. "third-party-sharing"). */
export const purposeKeySchema = z
  .string({ error: "A purpose key is required." })
  .regex(/^[a-z0-9][a-z0-9-]{0,63}$/, { error: fieldMessage("unknownPurpose") });

export const consentActionSchema = z.enum(["grant", "withdraw"], {
  error: 'Action must be "grant" or "withdraw".',
});
export type ConsentChangeAction = z.infer<typeof consentActionSchema>;

const versionNumberError = { error: "Expected a version number." };

const consentChangeFields = {
  purposeKey: purposeKeySchema,
  action: consentActionSchema,
  /**
   * The agreement version whose purposes the client showed; a mismatch is
   * refused as stale. JSON must send a number: "1", [1] and true are refused.
   */
  versionNumber: z.int(versionNumberError).positive(versionNumberError).optional(),
  /** The purpose notice the client showed; a mismatch is refused as stale. */
  noticeSha256: sha256HexSchema.optional(),
};

/** POST /api/v1/me/consent: unknown fields are refused, so a typo never passes silently. */
export const consentChangeBodySchema = z.strictObject(consentChangeFields);

/**
 * The preference centre's one-click form: the page mints an idempotency key
 * per intended change (absent when the form is posted without JavaScript).
 */
export const consentChangeFormSchema = z.object({
  ...consentChangeFields,
  // A form sends text: only decimal digits become the number.
  versionNumber: digitsInt(versionNumberError.error, z.int().positive(versionNumberError)).optional(),
  idempotencyKey: z.uuid({ error: fieldMessage("reloadAndRetry") }).optional(),
});

/** Idempotency-Key request header: visible ASCII, as in the IETF httpapi draft. */
export const idempotencyKeyHeaderSchema = z
  .string()
  .regex(/^[\x21-\x7e]{1,200}$/, { error: "Idempotency-Key must be 1 to 200 visible ASCII characters." });

export const eventIdSchema = z.uuid({ error: "Unknown event." });
