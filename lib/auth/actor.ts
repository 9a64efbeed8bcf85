import "server-only";
import { cache } from "react";
import { headers } from "next/headers";
import { forbidden, redirect } from "next/navigation";
import { readSessionActor } from "@/lib/auth/session";
import type { AuthenticatedUser } from "@/lib/users/authenticate";
import type { Role } from "@/lib/generated/prisma/enums";

export type Actor = AuthenticatedUser;

/**
 * Who is asking: the signed-in, still-active user whose session has not been
 * ended, or null (lib/auth/session.ts: one query, no cookie rewritten).
 * Memoised per request, since the header, the banner and the page each ask
 * during one render.
 */
export const getActor = cache(async (): Promise<Actor | null> =>
  readSessionActor((await headers()).get("cookie")),
);

export function hasRole(actor: Actor | null, roles: readonly Role[]): actor is Actor {
  return actor !== null && roles.includes(actor.role);
}

/**
 * For pages: anonymous visitors go to sign-in and come back; signed-in users
 * without one of the roles get a 403 page.
 */
export async function requirePageActor(returnTo: string, roles?: readonly Role[]): Promise<Actor> {
  const actor = await getActor();
  if (!actor) redirect(`/signin?callbackUrl=${encodeURIComponent(returnTo)}`);
  if (roles && !roles.includes(actor.role)) forbidden();
  return actor;
}

/** Where a person lands after sign-in when no page asked for it: their role's own area. */
export function homeFor(actor: Actor): string {
  return actor.role === "ADMIN" ? "/admin" : actor.role === "AUDITOR" ? "/audit" : "/account";
}

/** The roles that may read the audit area. Admins may audit; see docs/architecture.md. */
export const AUDIT_ROLES = ["AUDITOR", "ADMIN"] as const satisfies readonly Role[];
export const ADMIN_ROLES = ["ADMIN"] as const satisfies readonly Role[];
