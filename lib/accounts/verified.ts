import "server-only";
import { prisma } from "@/lib/db";
import { fail, type Failure } from "@/lib/result";

/**
 * The refusal of a consent record by an account whose email is not confirmed
 * (docs/security.md, "Accounts"): it may read, not consent.
 */
export function unverifiedRefusal(): Failure {
  return fail(
    403,
    "email_unverified",
    "Confirm your email address before recording consent: follow the link we emailed you, or send a new one from your account page.",
  );
}

/** False only for an existing account whose address is not confirmed yet. */
export async function emailConfirmed(userId: string): Promise<boolean> {
  const user = await prisma.user.findUnique({ where: { id: userId }, select: { emailVerifiedAt: true } });
  return !user || user.emailVerifiedAt !== null;
}

/** The account's address and whether it is confirmed, for the account pages. */
export async function accountEmailStatus(
  userId: string,
): Promise<{ email: string; confirmed: boolean } | null> {
  const user = await prisma.user.findUnique({
    where: { id: userId },
    select: { email: true, emailVerifiedAt: true },
  });
  return user ? { email: user.email, confirmed: user.emailVerifiedAt !== null } : null;
}
