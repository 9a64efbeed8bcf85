// One zod schema per input, shared by the admin form, the CLI and the service.
import { z } from "zod";
import { API_SCOPES, apiScopeSchema } from "@/lib/api-keys/scopes";

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
    .regex(/^\d{1,9}$/, { error: "Enter a whole number." })
    .transform(Number),
]);

export const createApiKeySchema = z.preprocess(
  collectScopeCheckboxes,
  z.object({
    name: z
      .string({ error: "Name the key after the service that will use it." })
      .trim()
      .min(1, { error: "Name the key after the service that will use it." })
      .max(100, { error: "Keep the name under 100 characters." })
      .refine((value) => !value.includes("\0"), { error: "The name cannot contain NUL." }),
    scopes: z
      .array(apiScopeSchema)
      .min(1, { error: "Choose at least one scope." })
      .transform((scopes) => [...new Set(scopes)]),
    rateLimitPerMinute: wholeNumber
      .pipe(
        z
          .number()
          .int({ error: "Enter a whole number." })
          .min(1, { error: "Allow at least one request a minute." })
          .max(MAX_RATE_LIMIT_PER_MINUTE, { error: "At most 10,000,000 requests a minute." }),
      )
      .default(DEFAULT_RATE_LIMIT_PER_MINUTE),
  }),
);
export type CreateApiKeyInput = z.infer<typeof createApiKeySchema>;

export const apiKeyIdSchema = z.object({ keyId: z.uuid({ error: "Unknown API key." }) });
