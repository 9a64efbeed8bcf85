import "server-only";
import { cache } from "react";
import { getServerSession } from "next-auth";
import { forbidden, redirect } from "next/navigation";
import { authOptions } from "@/lib/auth/options";
import { findActiveUser, type AuthenticatedUser } from "@/lib/users/authenticate";
import type { Role } from "@/lib/generated/prisma/enums";

export type Actor = AuthenticatedUser;

/**
 * Who is asking: the signed-in, still-active user, or null. Memoised per
 * request, since the header, the banner and the page each ask during one render.
 */
export const getActor = cache(async (): Promise<Actor | null> => {
  const session = await getServerSession(authOptions);
  const userId = (session as { userId?: unknown } | null)?.userId;
  if (typeof userId !== "string") return null;
  return findActiveUser(userId);
});

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

/** The roles that may read the audit area. Admins may audit; see docs/architecture.md. */
export const AUDIT_ROLES = ["AUDITOR", "ADMIN"] as const satisfies readonly Role[];
export const ADMIN_ROLES = ["ADMIN"] as const satisfies readonly Role[];
