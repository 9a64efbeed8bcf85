import "server-only";
import { prisma } from "@/lib/db";
import { now } from "@/lib/clock";
import { hashPassword, verifyPassword } from "@/lib/auth/password";
import { queueMail } from "@/lib/notifications/outbox";
import { fail, ok, type Result } from "@/lib/result";
import { fieldMessage } from "@/lib/validation/messages";

export interface ChangePasswordOptions {
  userId: string;
  currentPassword: string;
  password: string;
}

/**
 * Changes the password of a signed-in user who knows the current one. Every
 * session ends (session_version); the new version is returned so the caller
 * can keep the session it was asked from. The owner is told by email.
 */
export async function changePassword({
  userId,
  currentPassword,
  password,
}: ChangePasswordOptions): Promise<Result<{ sessionVersion: number }>> {
  const user = await prisma.user.findFirst({
    where: { id: userId, deregisteredAt: null },
    select: { id: true, email: true, passwordHash: true },
  });
  if (!user || !(await verifyPassword(user.passwordHash, currentPassword))) {
    return fail(403, "wrong_password", "Your current password is not correct.", {
      currentPassword: [fieldMessage("currentPasswordWrong")],
    });
  }
  const passwordHash = await hashPassword(password);
  const at = now();
  const updated = await prisma.$transaction(async (tx) => {
    const row = await tx.user.update({
      where: { id: user.id },
      data: { passwordHash, sessionVersion: { increment: 1 } },
      select: { sessionVersion: true },
    });
    await queueMail(tx, {
      userId: user.id,
      to: user.email,
      kind: "password-changed",
      payload: { changedAt: at.toISOString() },
      at,
    });
    return row;
  });
  return ok({ sessionVersion: updated.sessionVersion });
}
