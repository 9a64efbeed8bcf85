import "server-only";
import { prisma } from "@/lib/db";
import { now } from "@/lib/clock";
import { hashPassword } from "@/lib/auth/password";
import { consumeAccountMail } from "@/lib/auth/rate-limit";
import { queueMail } from "@/lib/notifications/outbox";
import { issueToken } from "@/lib/accounts/tokens";
import { ok, type Result } from "@/lib/result";
import { Prisma } from "@/lib/generated/prisma/client";

export interface RegisterAccountOptions {
  email: string;
  password: string;
  /** The interface language the person signed up in. */
  locale?: string;
}

/**
 * Self-service sign-up. The answer is the same whether or not the address
 * already has an account, so sign-up reveals nothing about who is registered:
 * - a new address gets an unconfirmed account and a link to confirm it;
 * - an address with an open account gets a mail telling its owner (only they
 *   read it) that they already have one, with a link to reset the password.
 * The password is hashed in both cases, so the time taken says nothing either.
 */
export async function registerAccount({
  email,
  password,
  locale,
}: RegisterAccountOptions): Promise<Result<null>> {
  const passwordHash = await hashPassword(password);
  const at = now();
  try {
    await prisma.$transaction(async (tx) => {
      const user = await tx.user.create({
        data: { email, passwordHash, emailVerifiedAt: null, ...(locale ? { locale } : {}) },
        select: { id: true },
      });
      const token = await issueToken(tx, { userId: user.id, purpose: "VERIFY_EMAIL", at });
      await queueMail(tx, {
        userId: user.id,
        to: email,
        kind: "verify-email",
        payload: { tokenId: token.id, expiresAt: token.expiresAt.toISOString() },
        at,
      });
    });
    return ok(null);
  } catch (error) {
    // The unique index decides, so two simultaneous sign-ups cannot both create it.
    if (!(error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002")) throw error;
  }
  const existing = await prisma.user.findUnique({
    where: { email },
    select: { id: true, deregisteredAt: true },
  });
  // A closed account is told nothing here (its owner restores it from the closure mail).
  if (existing && !existing.deregisteredAt && !(await consumeAccountMail(email))) {
    await queueMail(prisma, { userId: existing.id, to: email, kind: "sign-up-existing", payload: {}, at });
  }
  return ok(null);
}
