// Signing secrets in the Standard Webhooks format: "whsec_" and base64 of 32
// random bytes, which the standardwebhooks library (and every receiver
// using it) accepts as is.
import { randomBytes } from "node:crypto";

export const SECRET_PREFIX = "whsec_";

export function mintWebhookSecret(): string {
  return `${SECRET_PREFIX}${randomBytes(32).toString("base64")}`;
}

/** The context a secret is sealed under: a sealed value cannot be moved to another endpoint. */
export function secretContext(endpointId: string): string {
  return `webhook-endpoint:${endpointId}`;
}
