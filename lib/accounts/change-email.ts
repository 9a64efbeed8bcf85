import "server-only";
import { prisma } from "@/lib/db";
import { now } from "@/lib/clock";
import { verifyPassword } from "@/lib/auth/password";
import { consumeAccountMail } from "@/lib/auth/rate-limit";
import { queueMail } from "@/lib/notifications/outbox";
import { issueToken, useToken } from "@/lib/accounts/tokens";
import { invalidLink } from "@/lib/accounts/verify-email";
import { fail, ok, type Result } from "@/lib/result";
import { fieldMessage } from "@/lib/validation/messages";
import { Prisma } from "@/lib/generated/prisma/client";

export interface RequestEmailChangeOptions {
  userId: string;
  newEmail: string;
  currentPassword: string;
}

/**
 * Asks to move a signed-in account to a new address: a link goes to the new
 * address, and nothing changes until it is followed. The answer is the same
 * whether or not the new address already has an account (then no link goes:
 * confirming it could only fail).
 */
export async function requestEmailChange({
  userId,
  newEmail,
  currentPassword,
}: RequestEmailChangeOptions): Promise<Result<{ newEmail: string }>> {
  const user = await prisma.user.findFirst({
    where: { id: userId, deregisteredAt: null },
    select: { id: true, email: true, passwordHash: true },
  });
  if (!user || !(await verifyPassword(user.passwordHash, currentPassword))) {
    return fail(403, "wrong_password", "Your current password is not correct.", {
      currentPassword: [fieldMessage("currentPasswordWrong")],
    });
  }
  if (newEmail === user.email) {
    return fail(422, "same_email", "This is already your email address.", {
      email: [fieldMessage("sameEmail")],
    });
  }
  const limited = await consumeAccountMail(newEmail);
  if (limited) return limited;
  const taken = await prisma.user.count({ where: { email: newEmail } });
  if (taken > 0) return ok({ newEmail });
  const at = now();
  await prisma.$transaction(async (tx) => {
    const token = await issueToken(tx, { userId: user.id, purpose: "CHANGE_EMAIL", at, newEmail });
    await queueMail(tx, {
      userId: user.id,
      to: newEmail,
      kind: "change-email",
      payload: { tokenId: token.id, expiresAt: token.expiresAt.toISOString(), newEmail },
      at,
    });
  });
  return ok({ newEmail });
}

/**
 * Uses the link sent to the new address: the account takes that address (now
 * confirmed) and the old address is told. The link works once.
 */
export async function confirmEmailChange(secret: string): Promise<Result<{ userId: string; email: string }>> {
  const at = now();
  try {
    const done = await prisma.$transaction(async (tx) => {
      const token = await useToken(tx, secret, "CHANGE_EMAIL", at);
      if (!token?.newEmail) return null;
      const user = await tx.user.findFirst({
        where: { id: token.userId, deregisteredAt: null },
        select: { id: true, email: true },
      });
      if (!user) return null;
      await tx.user.update({
        where: { id: user.id },
        data: { email: token.newEmail, emailVerifiedAt: at },
      });
      await queueMail(tx, {
        userId: user.id,
        to: user.email,
        kind: "email-changed",
        payload: { newEmail: token.newEmail, changedAt: at.toISOString() },
        at,
      });
      return { userId: user.id, email: token.newEmail };
    });
    return done ? ok(done) : invalidLink();
  } catch (error) {
    // Someone took the address meanwhile: the unique index refuses, nothing changed.
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") return invalidLink();
    throw error;
  }
}
