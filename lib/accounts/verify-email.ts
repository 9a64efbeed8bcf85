import "server-only";
import { prisma } from "@/lib/db";
import { now } from "@/lib/clock";
import { consumeAccountMail } from "@/lib/auth/rate-limit";
import { queueMail } from "@/lib/notifications/outbox";
import { issueToken, useToken } from "@/lib/accounts/tokens";
import { fail, ok, type Result } from "@/lib/result";

/** Uses a confirmation link: the account's address is confirmed. The link works once. */
export async function verifyEmail(secret: string): Promise<Result<{ userId: string }>> {
  const at = now();
  const used = await prisma.$transaction(async (tx) => {
    const token = await useToken(tx, secret, "VERIFY_EMAIL", at);
    if (!token) return null;
    await tx.user.updateMany({
      where: { id: token.userId, emailVerifiedAt: null },
      data: { emailVerifiedAt: at },
    });
    return token;
  });
  if (!used) return invalidLink();
  return ok({ userId: used.userId });
}

/** Sends the signed-in user a new confirmation link (the earlier ones stop working). */
export async function resendVerification(userId: string): Promise<Result<null>> {
  const at = now();
  const user = await prisma.user.findFirst({
    where: { id: userId, deregisteredAt: null },
    select: { id: true, email: true, emailVerifiedAt: true },
  });
  if (!user) return fail(404, "not_found", "This account does not exist.");
  if (user.emailVerifiedAt) return fail(409, "already_verified", "Your email address is already confirmed.");
  const limited = await consumeAccountMail(user.email);
  if (limited) return limited;
  await prisma.$transaction(async (tx) => {
    const token = await issueToken(tx, { userId: user.id, purpose: "VERIFY_EMAIL", at });
    await queueMail(tx, {
      userId: user.id,
      to: user.email,
      kind: "verify-email",
      payload: { tokenId: token.id, expiresAt: token.expiresAt.toISOString() },
      at,
    });
  });
  return ok(null);
}

/** One answer for every link that does not work: unknown, used, expired or replaced. */
export function invalidLink() {
  return fail(
    410,
    "invalid_link",
    "This link does not work any more: it was used already, it expired, or a newer one was sent. Ask for a new one.",
  );
}
