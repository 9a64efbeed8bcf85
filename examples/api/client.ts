// A small typed client for Accord's service API: every endpoint, typed by
// schema.d.ts, which openapi-typescript generates from /api/v1/openapi.json
// (`npm run typecheck` regenerates it, then type-checks this file: a client
// that no longer matches the API fails the check). Uses openapi-fetch.
//
//   import { accordClient } from "./client";
//   const accord = accordClient("http://localhost:3000", process.env.ACCORD_API_KEY!);
import createClient from "openapi-fetch";
import type { components, paths } from "./schema";

export type SubjectStatus = components["schemas"]["SubjectStatus"];
export type ConsentDecision = components["schemas"]["ConsentDecision"];
export type RecordedDecision = components["schemas"]["RecordedDecision"];
export type WebhookEndpoint = components["schemas"]["WebhookEndpoint"];
export type CreateWebhookEndpoint = components["schemas"]["CreateWebhookEndpoint"];
export type CreateHostedLink = components["schemas"]["CreateHostedLink"];

export class AccordApiError extends Error {
  constructor(
    readonly status: number,
    readonly error: components["schemas"]["Error"]["error"] | undefined,
  ) {
    super(error ? `${status} ${error.code}: ${error.message}` : `HTTP ${status}`);
  }
}

function unwrap<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.data !== undefined) return result.data;
  const body = result.error as components["schemas"]["Error"] | undefined;
  throw new AccordApiError(result.response.status, body?.error);
}

export function accordClient(baseUrl: string, apiKey: string) {
  const client = createClient<paths>({ baseUrl, headers: { Authorization: `Bearer ${apiKey}` } });
  return {
    /** One user's consent (scope status:read). */
    async status(subjectId: string): Promise<SubjectStatus> {
      return unwrap(
        await client.GET("/api/v1/subjects/{subjectId}/status", { params: { path: { subjectId } } }),
      );
    },
    /** Up to 1,000 users' consent, in the order asked (scope status:read). */
    async batchStatus(subjectIds: string[]): Promise<SubjectStatus[]> {
      return unwrap(await client.POST("/api/v1/subjects/status", { body: { subjectIds } })).statuses;
    },
    /** Records a decision made in your product (scope consent:write); retry with the same idempotencyKey. */
    async record(
      subjectId: string,
      decision: ConsentDecision,
      idempotencyKey: string,
    ): Promise<RecordedDecision> {
      return unwrap(
        await client.POST("/api/v1/subjects/{subjectId}/consent", {
          params: { path: { subjectId }, header: { "Idempotency-Key": idempotencyKey } },
          body: decision,
        }),
      );
    },
    /** A signed consent token to verify offline (scope status:read). */
    async token(subjectId: string, options: { ttlSeconds?: number; audience?: string } = {}) {
      return unwrap(
        await client.POST("/api/v1/subjects/{subjectId}/token", {
          params: { path: { subjectId } },
          body: options,
        }),
      );
    },
    /** Published versions (scope versions:read). */
    async versions() {
      return unwrap(await client.GET("/api/v1/versions"));
    },
    /** The version in effect, with its text and purposes (scope versions:read). */
    async currentVersion() {
      return unwrap(await client.GET("/api/v1/versions/current"));
    },
    /** One published version (scope versions:read). */
    async version(number: number) {
      return unwrap(
        await client.GET("/api/v1/versions/{number}", { params: { path: { number: String(number) } } }),
      );
    },
    /**
     * A single-use link to Accord's re-consent prompt or preference centre for one user
     * (scope consent:write); redirect the user to its `url`.
     */
    async hostedLink(input: CreateHostedLink) {
      return unwrap(await client.POST("/api/v1/hosted-links", { body: input }));
    },
    /** Webhook endpoints (scope webhooks:manage). */
    webhooks: {
      async list(): Promise<WebhookEndpoint[]> {
        return unwrap(await client.GET("/api/v1/webhooks")).endpoints;
      },
      /** Registers an endpoint; keep the answer's `secret`, it is shown once. */
      async create(input: CreateWebhookEndpoint) {
        return unwrap(await client.POST("/api/v1/webhooks", { body: input }));
      },
      /** The endpoint and its latest deliveries. */
      async get(endpointId: string) {
        return unwrap(
          await client.GET("/api/v1/webhooks/{endpointId}", { params: { path: { endpointId } } }),
        );
      },
      async setEnabled(endpointId: string, enabled: boolean): Promise<WebhookEndpoint> {
        return unwrap(
          await client.PATCH("/api/v1/webhooks/{endpointId}", {
            params: { path: { endpointId } },
            body: { enabled },
          }),
        );
      },
      async remove(endpointId: string) {
        return unwrap(
          await client.DELETE("/api/v1/webhooks/{endpointId}", { params: { path: { endpointId } } }),
        );
      },
      async sendTest(endpointId: string) {
        return unwrap(
          await client.POST("/api/v1/webhooks/{endpointId}/test", { params: { path: { endpointId } } }),
        );
      },
      /** Sends a delivery again, with the same webhook-id. */
      async replay(endpointId: string, deliveryId: string) {
        return unwrap(
          await client.POST("/api/v1/webhooks/{endpointId}/deliveries/{deliveryId}/replay", {
            params: { path: { endpointId, deliveryId } },
          }),
        );
      },
    },
  };
}
