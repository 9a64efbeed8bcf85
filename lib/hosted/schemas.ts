// Hosted flows' inputs: one zod schema each, shared by the API, the admin form and the services.
import { z } from "zod";
import { fieldMessage } from "@/lib/validation/messages";

const sha256 = z.string().regex(/^[0-9a-f]{64}$/, { error: fieldMessage("reloadAndRetry") });

export const HOSTED_FLOWS = ["reconsent", "preferences"] as const;
export type HostedFlow = (typeof HOSTED_FLOWS)[number];

export const DEFAULT_LINK_TTL_SECONDS = 15 * 60;
export const MAX_LINK_TTL_SECONDS = 60 * 60;

const httpUrl = (message: string) =>
  z
    .string({ error: message })
    .trim()
    .max(2000, { error: fieldMessage("addressTooLong") })
    .refine(
      (value) => {
        if (!URL.canParse(value)) return false;
        const url = new URL(value);
        return (url.protocol === "https:" || url.protocol === "http:") && !url.username && !url.password;
      },
      { error: message },
    );

export const createHostedLinkSchema = z
  .object({
    /** The service's own id for its user (as in /api/v1/subjects/{subjectId}). */
    subjectId: z
      .string({ error: "Send the subject's id." })
      .min(1, { error: "Send the subject's id." })
      .max(200, { error: "A subject id has at most 200 characters." })
      .meta({ description: "Your own id for the user, as in /api/v1/subjects/{subjectId}." }),
    flow: z.enum(HOSTED_FLOWS, { error: `flow is one of ${HOSTED_FLOWS.join(", ")}.` }).meta({
      description:
        "`reconsent`: the agreement in effect and its purposes to accept or decline; `preferences`: the purposes to change (the prompt for a user who accepted nothing yet).",
    }),
    returnUrl: httpUrl("returnUrl must be an http(s) URL your key is allowed to return to.").meta({
      description:
        "Where the user is sent back, with `accord_outcome` (accepted, declined, updated) and `state`; it must start with an address an admin allowed for your key.",
    }),
    /** Echoed back on the return URL, e.g. to match the answer to the session that asked. */
    state: z
      .string()
      .max(200, { error: "state has at most 200 characters." })
      .optional()
      .meta({ description: "Echoed back on the return URL." }),
    ttlSeconds: z
      .number()
      .int()
      .min(60, { error: "At least 60 seconds." })
      .max(MAX_LINK_TTL_SECONDS, { error: "At most 3,600 seconds." })
      .default(DEFAULT_LINK_TTL_SECONDS)
      .meta({ description: "The link's lifetime in seconds (default 900)." }),
  })
  .meta({ id: "CreateHostedLink" });
export type CreateHostedLinkInput = z.infer<typeof createHostedLinkSchema>;

/** The answer of POST /api/v1/hosted-links (HostedLink in the OpenAPI document). */
export const hostedLinkSchema = z
  .object({
    url: z.url().meta({ description: "Send the user here. Valid once, until expiresAt." }),
    expiresAt: z.iso
      .datetime()
      .meta({ description: "ISO 8601 UTC instant after which the link is refused." }),
  })
  .meta({ id: "HostedLink" });

export const returnUrlSchema = z.object({
  apiKeyId: z.uuid({ error: fieldMessage("chooseApiKey") }),
  urlPrefix: httpUrl(fieldMessage("returnUrlPrefix")),
});

/** What the hosted page posts back: the link and the user's choices (`purpose:<key>=on`). */
export const completeHostedSchema = z.preprocess(
  (raw) => {
    if (typeof raw !== "object" || raw === null || "granted" in raw) return raw;
    const fields = raw as Record<string, unknown>;
    const granted = Object.keys(fields)
      .filter((key) => key.startsWith("purpose:") && fields[key] === "on")
      .map((key) => key.slice("purpose:".length));
    // The notice shown for each purpose (`notice:<key>=<sha256>`), as the page offered it.
    const notices = Object.fromEntries(
      Object.entries(fields)
        .filter(([key]) => key.startsWith("notice:"))
        .map(([key, value]) => [key.slice("notice:".length), value]),
    );
    const rest = Object.fromEntries(
      Object.entries(fields).filter(([key]) => !key.startsWith("purpose:") && !key.startsWith("notice:")),
    );
    return { ...rest, granted, notices };
  },
  z.object({
    token: z.string().min(1).max(4000),
    decision: z.enum(["accept", "decline", "save"]),
    granted: z.array(z.string().max(100)).max(100),
    /** The agreement text and the purpose notices the page showed, by SHA-256 (docs/translations.md). */
    shownSha256: sha256.optional(),
    notices: z.record(z.string().max(100), sha256).optional(),
    /** A signed-in reader's choice to link the service's id to their Accord account (a checkbox). */
    linkAccount: z
      .union([z.boolean(), z.literal("on")])
      .optional()
      .transform((value) => value === true || value === "on"),
  }),
);
