// Pieces every keyed path of the OpenAPI document shares (lib/service-api/openapi.ts,
// lib/webhooks/openapi.ts, lib/hosted/openapi.ts): JSON bodies, the key's refusals
// and the RateLimit headers every keyed answer carries.
import { z } from "zod";
import { errorSchema } from "@/lib/service-api/schemas";

export const json = (schema: z.ZodType) => ({ content: { "application/json": { schema } } });

/** A refusal, answered as the Error JSON. */
export const refusal = (description: string) => ({ description, ...json(errorSchema) });

export const KEY_ERRORS = {
  "401": refusal("No API key, or an unknown or revoked one."),
  "403": refusal("The key lacks the scope this endpoint needs."),
  "429": refusal("The key is over its per-minute limit (see Retry-After)."),
};

export const UNSUPPORTED_MEDIA_TYPE = {
  "415": refusal("The body was not sent as `Content-Type: application/json`."),
};

export const rateLimitHeaders = z.object({
  "RateLimit-Limit": z.string().meta({ description: "The key's requests per minute." }),
  "RateLimit-Remaining": z.string().meta({ description: "Requests left in this minute." }),
  "RateLimit-Reset": z.string().meta({ description: "Seconds until the minute resets." }),
});

/** A keyed success answer with a JSON body. */
export const keyedAnswer = (description: string, schema: z.ZodType) => ({
  description,
  headers: rateLimitHeaders,
  ...json(schema),
});
