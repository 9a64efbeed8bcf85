// One zod schema per input, shared by the admin form, the CLI and the service.
import { z } from "zod";
import { API_SCOPES, apiScopeSchema } from "@/lib/api-keys/scopes";
import { fieldMessage } from "@/lib/validation/messages";

export const DEFAULT_RATE_LIMIT_PER_MINUTE = 6_000;
export const MAX_RATE_LIMIT_PER_MINUTE = 10_000_000;

/** A form posts each scope as its own checkbox, `scope:status:read=on`; JSON and the CLI send `scopes`. */
function collectScopeCheckboxes(raw: unknown): unknown {
  if (typeof raw !== "object" || raw === null || "scopes" in raw) return raw;
  const fields = raw as Record<string, unknown>;
  const scopes = API_SCOPES.filter((scope) => fields[`scope:${scope}`] === "on");
  const rest = Object.fromEntries(Object.entries(fields).filter(([key]) => !key.startsWith("scope:")));
  return { ...rest, scopes };
}

const wholeNumber = z.union([
  z.number(),
  z
    .string()
    .trim()
    .regex(/^\d{1,9}$/, { error: fieldMessage("wholeNumber") })
    .transform(Number),
]);

export const createApiKeySchema = z.preprocess(
  collectScopeCheckboxes,
  z.object({
    name: z
      .string({ error: fieldMessage("apiKeyName") })
      .trim()
      .min(1, { error: fieldMessage("apiKeyName") })
      .max(100, { error: fieldMessage("apiKeyNameTooLong") })
      .refine((value) => !value.includes("\0"), { error: fieldMessage("apiKeyNameNul") }),
    scopes: z
      .array(apiScopeSchema)
      .min(1, { error: fieldMessage("chooseScope") })
      .transform((scopes) => [...new Set(scopes)]),
    rateLimitPerMinute: wholeNumber
      .pipe(
        z
          .number()
          .int({ error: fieldMessage("wholeNumber") })
          .min(1, { error: fieldMessage("rateLimitMin") })
          .max(MAX_RATE_LIMIT_PER_MINUTE, { error: fieldMessage("rateLimitMax") }),
      )
      .default(DEFAULT_RATE_LIMIT_PER_MINUTE),
  }),
);
export type CreateApiKeyInput = z.infer<typeof createApiKeySchema>;

export const apiKeyIdSchema = z.object({ keyId: z.uuid({ error: fieldMessage("unknownApiKey") }) });
