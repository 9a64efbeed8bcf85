import "server-only";
import { prisma } from "@/lib/db";
import { decoyPasswordHash, verifyPassword } from "@/lib/auth/password";
import type { Role } from "@/lib/generated/prisma/enums";

export interface AuthenticatedUser {
  id: string;
  email: string;
  role: Role;
}

/** Returns the user when the password matches; null for every kind of failure. */
export async function authenticate(email: string, password: string): Promise<AuthenticatedUser | null> {
  const user = await prisma.user.findUnique({
    where: { email },
    select: { id: true, email: true, role: true, passwordHash: true, deregisteredAt: true },
  });
  if (!user || user.deregisteredAt) {
    await verifyPassword(await decoyPasswordHash(), password);
    return null;
  }
  if (!(await verifyPassword(user.passwordHash, password))) return null;
  return { id: user.id, email: user.email, role: user.role };
}

export async function findActiveUser(id: string): Promise<AuthenticatedUser | null> {
  return prisma.user.findFirst({
    where: { id, deregisteredAt: null },
    select: { id: true, email: true, role: true },
  });
}
