import "server-only";
import { prisma } from "@/lib/db";
import { now } from "@/lib/clock";
import { decoyPasswordHash, hashPassword, verifyPassword } from "@/lib/auth/password";
import { consumeAccountMail } from "@/lib/auth/rate-limit";
import { queueMail } from "@/lib/notifications/outbox";
import { issueToken, useToken } from "@/lib/accounts/tokens";
import { invalidLink } from "@/lib/accounts/verify-email";
import { ok, type Result } from "@/lib/result";

/**
 * "Forgot password?": mails a reset link (valid 30 minutes, once) when the
 * address has an open account, and nothing otherwise. The caller shows the
 * same answer either way; the per-address limit applies to every address alike.
 */
export async function requestPasswordReset(email: string): Promise<Result<null>> {
  const limited = await consumeAccountMail(email);
  if (limited) return limited;
  const at = now();
  const user = await prisma.user.findFirst({
    where: { email, deregisteredAt: null },
    select: { id: true },
  });
  if (!user) {
    // About as long as the work below, so timing does not tell either.
    await verifyPassword(await decoyPasswordHash(), email);
    return ok(null);
  }
  await prisma.$transaction(async (tx) => {
    const token = await issueToken(tx, { userId: user.id, purpose: "RESET_PASSWORD", at });
    await queueMail(tx, {
      userId: user.id,
      to: email,
      kind: "password-reset",
      payload: { tokenId: token.id, expiresAt: token.expiresAt.toISOString() },
      at,
    });
  });
  return ok(null);
}

/**
 * Uses a reset link: sets the new password and ends every session of the
 * account (session_version). Following the emailed link also proves the
 * address, so an unconfirmed account becomes confirmed. The link works once.
 */
export async function resetPassword(secret: string, password: string): Promise<Result<{ userId: string }>> {
  const passwordHash = await hashPassword(password);
  const at = now();
  const done = await prisma.$transaction(async (tx) => {
    const token = await useToken(tx, secret, "RESET_PASSWORD", at);
    if (!token) return null;
    const user = await tx.user.findFirst({
      where: { id: token.userId, deregisteredAt: null },
      select: { id: true, email: true, emailVerifiedAt: true },
    });
    if (!user) return null;
    await tx.user.update({
      where: { id: user.id },
      data: {
        passwordHash,
        sessionVersion: { increment: 1 },
        ...(user.emailVerifiedAt ? {} : { emailVerifiedAt: at }),
      },
    });
    await queueMail(tx, {
      userId: user.id,
      to: user.email,
      kind: "password-changed",
      payload: { changedAt: at.toISOString() },
      at,
    });
    return user;
  });
  if (!done) return invalidLink();
  return ok({ userId: done.id });
}
