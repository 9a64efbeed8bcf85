// One zod schema per input, shared by the forms and the services.
import { z } from "zod";
import { fieldMessage, type FieldMessageKey } from "@/lib/validation/messages";

/** What a user may open from the account area; closures come from deregistering. */
export const USER_REQUEST_TYPES = ["CORRECTION", "DELETION", "QUESTION"] as const;
export const REQUEST_TYPES = [...USER_REQUEST_TYPES, "CLOSURE"] as const;
export const REQUEST_STATUSES = ["RECEIVED", "IN_PROGRESS", "COMPLETED", "REFUSED", "WITHDRAWN"] as const;
export const OPEN_STATUSES = ["RECEIVED", "IN_PROGRESS"] as const;

export const MESSAGE_MAX = 5_000;

/** Browsers submit textarea line breaks as CRLF; store what was typed, with LF. */
const text = (min: number, max: number, tooShort: FieldMessageKey) =>
  z
    .string()
    .transform((value) => value.replace(/\r\n?/g, "\n").trim())
    .pipe(
      z
        .string()
        .min(min, { error: fieldMessage(tooShort) })
        .max(max, { error: fieldMessage("atMostCharacters", { max }) })
        .refine((value) => !value.includes("\0"), { error: fieldMessage("removeNul") }),
    );

export const openRequestSchema = z.object({
  type: z.enum(USER_REQUEST_TYPES, { error: fieldMessage("requestType") }),
  message: text(10, MESSAGE_MAX, "requestMessage"),
});
export type OpenRequestInput = z.infer<typeof openRequestSchema>;

const requestId = z.uuid({ error: fieldMessage("unknownRequest") });

export const requestIdSchema = z.object({ requestId });

export const assignRequestSchema = z.object({
  requestId,
  /** Empty: nobody. */
  assigneeId: z.union([z.literal(""), z.uuid({ error: fieldMessage("chooseAdministrator") })]),
});

export const requestNoteSchema = z.object({
  requestId,
  body: text(1, MESSAGE_MAX, "writeNote"),
});

export const respondSchema = z.object({
  requestId,
  decision: z.enum(["COMPLETED", "REFUSED"], { error: fieldMessage("decision") }),
  outcome: text(10, MESSAGE_MAX, "writeOutcome"),
});
export type RespondInput = z.infer<typeof respondSchema>;

/** The desk's filters, from the URL. */
export const deskFilterSchema = z.object({
  view: z.enum(["open", "overdue", "closed", "all"]).catch("open"),
  type: z.enum(REQUEST_TYPES).optional().catch(undefined),
});
export type DeskFilter = z.infer<typeof deskFilterSchema>;

const days = (min: number, max: number) =>
  z.coerce
    .number<unknown>({ error: fieldMessage("daysNumber") })
    .int({ error: fieldMessage("daysWhole") })
    .min(min, { error: fieldMessage("daysAtLeast", { min }) })
    .max(max, { error: fieldMessage("daysAtMost", { max }) });

export const rightsPolicySchema = z.object({
  /** GDPR Art. 12(3): one month, extendable by two more when necessary; the organisation chooses within that. */
  requestDeadlineDays: days(1, 90),
  /** How long a closed account can be restored before erasure (docs/rights.md §6). */
  deregistrationGraceDays: days(0, 90),
  consentEvidenceDays: days(1, 3650),
  sentMailDays: days(1, 3650),
  rateLimitDays: days(0, 365),
  auditLogDays: days(30, 3650),
});
export type RightsPolicyInput = z.infer<typeof rightsPolicySchema>;

/** Deregistering (§6.5): the password again, and the statement read and accepted. */
export const deregisterSchema = z.object({
  password: z
    .string()
    .min(1, { error: fieldMessage("passwordRequired") })
    .max(256),
  confirm: z.literal("on", { error: fieldMessage("confirmRead") }),
});
export type DeregisterInput = z.infer<typeof deregisterSchema>;

/** Cancelling a closure during the grace period: the account's email and password. */
export const cancelDeregistrationSchema = z.object({
  email: z
    .string()
    .trim()
    .toLowerCase()
    .pipe(z.email({ error: fieldMessage("emailInvalid") })),
  password: z
    .string()
    .min(1, { error: fieldMessage("passwordRequired") })
    .max(256),
});
export type CancelDeregistrationInput = z.infer<typeof cancelDeregistrationSchema>;

/** A legal hold (§2.2): who, on which ground, and the case. */
export const placeHoldSchema = z.object({
  subject: z
    .string()
    .trim()
    .min(1, { error: fieldMessage("holdSubject") })
    .max(320),
  basis: z.enum(["COURT", "AUTHORITY", "LAW", "DISPUTE"], { error: fieldMessage("holdBasis") }),
  reason: text(5, 1_000, "holdReason"),
});
export type PlaceHoldInput = z.infer<typeof placeHoldSchema>;

export const releaseHoldSchema = z.object({ holdId: z.uuid({ error: fieldMessage("unknownHold") }) });
