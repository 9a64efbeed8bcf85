// The scopes an API key can hold, under the names the API and the docs use.
// The database stores the same names (enum "ApiScope"); Prisma's client calls
// them STATUS_READ etc., so this module maps between the two.
import { z } from "zod";
import type { ApiScope } from "@/lib/generated/prisma/enums";

export const API_SCOPES = ["status:read", "consent:write", "versions:read", "webhooks:manage"] as const;
export type ApiScopeName = (typeof API_SCOPES)[number];

const TO_PRISMA = {
  "status:read": "STATUS_READ",
  "consent:write": "CONSENT_WRITE",
  "versions:read": "VERSIONS_READ",
  "webhooks:manage": "WEBHOOKS_MANAGE",
} as const satisfies Record<ApiScopeName, ApiScope>;

const FROM_PRISMA = Object.fromEntries(
  Object.entries(TO_PRISMA).map(([name, value]) => [value, name]),
) as Record<ApiScope, ApiScopeName>;

export const apiScopeSchema = z.enum(API_SCOPES, {
  error: `A scope is one of ${API_SCOPES.join(", ")}.`,
});

export function toPrismaScope(scope: ApiScopeName): ApiScope {
  return TO_PRISMA[scope];
}

export function fromPrismaScope(scope: ApiScope): ApiScopeName {
  return FROM_PRISMA[scope];
}
