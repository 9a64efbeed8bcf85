// The hosted-flow link (app/api/v1/hosted-links) in the OpenAPI document, from
// the zod schemas the route validates with and types its answer by.
import type { ZodOpenApiPathsObject } from "zod-openapi";
import {
  json,
  KEY_ERRORS,
  keyedAnswer,
  refusal,
  UNSUPPORTED_MEDIA_TYPE,
} from "@/lib/service-api/openapi-parts";
import { createHostedLinkSchema, hostedLinkSchema } from "@/lib/hosted/schemas";

export function hostedLinkPaths(): ZodOpenApiPathsObject {
  return {
    "/api/v1/hosted-links": {
      post: {
        tags: ["Hosted flows"],
        security: [{ apiKey: ["consent:write"] }],
        operationId: "createHostedLink",
        summary: "A signed link to a hosted consent flow",
        description:
          "A short-lived, single-use link for one of your users to Accord's re-consent prompt or preference centre, " +
          "without an Accord password. The user comes back to `returnUrl` with the outcome (docs/webhooks.md, Hosted flows)." +
          "\n\nScope: `consent:write`.",
        requestBody: { required: true, ...json(createHostedLinkSchema) },
        responses: {
          "201": keyedAnswer("The link.", hostedLinkSchema),
          "400": refusal("Not JSON, or invalid fields (`fieldErrors` names them)."),
          "422": refusal("`returnUrl` is not on your key's allow-list (`return_url_not_allowed`)."),
          ...UNSUPPORTED_MEDIA_TYPE,
          ...KEY_ERRORS,
        },
      },
    },
  };
}
