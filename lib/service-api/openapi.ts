// The service API's OpenAPI 3.1 document, generated from the zod schemas the
// operations validate with (zod-openapi: schemas with a `.meta({ id })`
// become components). Served at /api/v1/openapi.json; `npm run typecheck`
// turns it into TypeScript types (openapi-typescript) and type-checks the
// example client against them, so the document cannot drift from the code.
import { z } from "zod";
import { createDocument, type ZodOpenApiOperationObject, type ZodOpenApiPathsObject } from "zod-openapi";
import type { ServiceOperation } from "@/lib/service-api/operation";
import { json, KEY_ERRORS, rateLimitHeaders, UNSUPPORTED_MEDIA_TYPE } from "@/lib/service-api/openapi-parts";
import { webhookPaths } from "@/lib/webhooks/openapi";
import { hostedLinkPaths } from "@/lib/hosted/openapi";
import {
  errorSchema,
  idempotencyKeySchema,
  versionListSchema,
  versionNumberParamSchema,
  versionSchema,
} from "@/lib/service-api/schemas";

function operationObject(operation: ServiceOperation): ZodOpenApiOperationObject {
  const pathParams = operation.params as z.ZodObject;
  const hasPathParams = Object.keys(pathParams.shape ?? {}).length > 0;
  return {
    operationId: operation.operationId,
    summary: operation.summary,
    description: `${operation.description}\n\nScope: \`${operation.access.apiKey}\`.`,
    tags: ["Subjects"],
    security: [{ apiKey: [operation.access.apiKey] }],
    requestParams: {
      ...(hasPathParams ? { path: pathParams } : {}),
      ...(operation.idempotencyKey ? { header: z.object({ "Idempotency-Key": idempotencyKeySchema }) } : {}),
    },
    ...(operation.body ? { requestBody: { required: true, ...json(operation.body) } } : {}),
    responses: {
      [String(operation.success.status)]: {
        description: operation.success.description,
        headers: rateLimitHeaders,
        ...json(operation.success.schema),
      },
      ...(operation.success.status === 201
        ? {
            "200": {
              description:
                "A retry with an Idempotency-Key already used: the first answer, nothing new recorded.",
              ...json(operation.success.schema),
            },
          }
        : {}),
      ...Object.fromEntries(
        Object.entries(operation.errors).map(([status, description]) => [
          status,
          { description, ...json(errorSchema) },
        ]),
      ),
      ...(operation.body ? UNSUPPORTED_MEDIA_TYPE : {}),
      ...KEY_ERRORS,
    },
  };
}

/** The published-version endpoints (lib/service-api/versions.ts, routes under app/api/v1/versions). */
function versionPaths(): ZodOpenApiPathsObject {
  const cached = (description: string, schema: z.ZodType) => ({
    description,
    headers: z.object({
      ETag: z
        .string()
        .meta({ description: "Send it back as If-None-Match to get 304 when nothing changed." }),
      "Cache-Control": z.string(),
    }),
    ...json(schema),
  });
  const common = {
    tags: ["Agreement versions"],
    security: [{ apiKey: ["versions:read"] }],
    requestParams: {
      header: z.object({
        "If-None-Match": z.string().optional().meta({ description: "An ETag you hold." }),
      }),
    },
  };
  const notModified = { "304": { description: "Not modified since the ETag you sent." } };
  return {
    "/api/v1/versions": {
      get: {
        ...common,
        operationId: "listVersions",
        summary: "Published agreement versions",
        description:
          "Every published version, newest first, with the numbers in effect and upcoming. Scope: `versions:read`.",
        responses: { "200": cached("The list.", versionListSchema), ...notModified, ...KEY_ERRORS },
      },
    },
    "/api/v1/versions/current": {
      get: {
        ...common,
        operationId: "getCurrentVersion",
        summary: "The agreement version in effect",
        description:
          "Its text and purposes; cacheable until the next version takes effect. Scope: `versions:read`.",
        responses: {
          "200": cached("The version in effect.", versionSchema),
          ...notModified,
          "404": { description: "No version is in effect yet.", ...json(errorSchema) },
          ...KEY_ERRORS,
        },
      },
    },
    "/api/v1/versions/{number}": {
      get: {
        ...common,
        requestParams: { ...common.requestParams, path: versionNumberParamSchema },
        operationId: "getVersion",
        summary: "One published agreement version",
        description: "Published versions never change: cacheable for a year. Scope: `versions:read`.",
        responses: {
          "200": cached("The version.", versionSchema),
          ...notModified,
          "400": { description: "Not a version number.", ...json(errorSchema) },
          "404": { description: "No published version has this number.", ...json(errorSchema) },
          ...KEY_ERRORS,
        },
      },
    },
  };
}

export function createOpenApiDocument(operations: readonly ServiceOperation[], serverUrl: string) {
  const paths: ZodOpenApiPathsObject = {};
  for (const operation of operations) {
    const method = operation.method.toLowerCase() as "get" | "post";
    paths[operation.path] = { ...paths[operation.path], [method]: operationObject(operation) };
  }
  return createDocument({
    openapi: "3.1.0",
    info: {
      title: "Accord service API",
      version: "1.0.0",
      description:
        "Read and record your users' consent from your own services. Walkthrough: docs/integration.md. " +
        "Consent tokens and their keys: docs/tokens.md.",
    },
    servers: [{ url: serverUrl }],
    tags: [
      { name: "Subjects", description: "Your users, by your own ids." },
      { name: "Agreement versions", description: "The published agreement, as JSON." },
      { name: "Webhooks", description: "Endpoints Accord calls when consent changes (docs/webhooks.md)." },
      { name: "Hosted flows", description: "Links to Accord's own consent pages for your users." },
    ],
    paths: { ...paths, ...versionPaths(), ...hostedLinkPaths(), ...webhookPaths() },
    components: {
      securitySchemes: {
        apiKey: {
          type: "http",
          scheme: "bearer",
          description:
            "An API key (`acc_…`) made by an admin or `npm run apikey:create`, sent as `Authorization: Bearer <key>`.",
        },
      },
    },
  });
}
