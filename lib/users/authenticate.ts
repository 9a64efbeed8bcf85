import "server-only";
import { prisma } from "@/lib/db";
import { decoyPasswordHash, verifyPassword } from "@/lib/auth/password";
import type { Role } from "@/lib/generated/prisma/enums";
import type { Prisma } from "@/lib/generated/prisma/client";

export interface AuthenticatedUser {
  id: string;
  email: string;
  role: Role;
}

/** Returns the user when the password matches; null for every kind of failure. */
export async function authenticate(
  email: string,
  password: string,
): Promise<(AuthenticatedUser & { sessionVersion: number }) | null> {
  const user = await prisma.user.findUnique({
    where: { email },
    select: {
      id: true,
      email: true,
      role: true,
      passwordHash: true,
      deregisteredAt: true,
      sessionVersion: true,
    },
  });
  if (!user || user.deregisteredAt) {
    await verifyPassword(await decoyPasswordHash(), password);
    return null;
  }
  if (!(await verifyPassword(user.passwordHash, password))) return null;
  return { id: user.id, email: user.email, role: user.role, sessionVersion: user.sessionVersion };
}

/** An account that is open (not deregistered). */
export async function findActiveUser(id: string): Promise<AuthenticatedUser | null> {
  return prisma.user.findFirst({
    where: { id, deregisteredAt: null },
    select: { id: true, email: true, role: true },
  });
}

/**
 * The user a session belongs to, in one query: still active, and the session
 * was issued under the current session version (lib/auth/session.ts).
 */
export async function findSessionUser(id: string, sessionVersion: number): Promise<AuthenticatedUser | null> {
  return prisma.user.findFirst({
    where: { id, deregisteredAt: null, sessionVersion },
    select: { id: true, email: true, role: true },
  });
}

/** Ends every session of the user; pass `tx` to do it inside a larger change. */
export async function bumpSessionVersion(userId: string, tx?: Prisma.TransactionClient): Promise<void> {
  await (tx ?? prisma).user.updateMany({
    where: { id: userId },
    data: { sessionVersion: { increment: 1 } },
  });
}
