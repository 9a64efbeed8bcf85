import "server-only";
import { createHash, createHmac } from "node:crypto";
import { env } from "@/lib/env";
import { prisma } from "@/lib/db";
import { now } from "@/lib/clock";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { AccountTokenPurpose } from "@/lib/generated/prisma/enums";

// Single-use links sent by email (docs/security.md, "Accounts"). A link's
// secret is HMAC-SHA256(key, fixed label ‖ row id), so
//   - the database stores only SHA-256(secret): a copy of the table opens nothing;
//   - the outbox row stores only the token's id: the worker derives the link
//     when it writes the mail (lib/notifications/compose.ts), so no secret
//     sits in the outbox or the sent-mail records either;
//   - a link works once: using it sets used_at in the same UPDATE that finds it.
// The key is SEALING_KEY, or NEXTAUTH_SECRET when that is unset (like lib/secrets).

/** How long each kind of link works. */
export const TOKEN_LIFETIME_MS: Record<AccountTokenPurpose, number> = {
  VERIFY_EMAIL: 24 * 60 * 60 * 1000,
  RESET_PASSWORD: 30 * 60 * 1000,
  CHANGE_EMAIL: 24 * 60 * 60 * 1000,
};

const LABEL = "accord account link v1\0";

/** The secret of token `id` (base64url, 43 characters): what the emailed link carries. */
export function tokenSecret(id: string, key: string = env.SEALING_KEY ?? env.NEXTAUTH_SECRET): string {
  return createHmac("sha256", key)
    .update(LABEL + id)
    .digest("base64url");
}

/** What the database stores and looks a secret up by. */
export function tokenHash(secret: string): string {
  return createHash("sha256").update(secret, "utf8").digest("hex");
}

/** A well-formed secret, before any database work. */
export const TOKEN_SECRET_PATTERN = /^[A-Za-z0-9_-]{43}$/;

type Db = Pick<Prisma.TransactionClient, "accountToken">;

export interface IssueTokenOptions {
  userId: string;
  purpose: AccountTokenPurpose;
  at: Date;
  newEmail?: string;
}

/**
 * Issues a token inside the caller's transaction; earlier unused tokens of the
 * same purpose stop working (only the latest link counts). Returns its id, for
 * the mail that carries it.
 */
export async function issueToken(db: Db, { userId, purpose, at, newEmail }: IssueTokenOptions) {
  await db.accountToken.updateMany({
    where: { userId, purpose, usedAt: null },
    data: { usedAt: at },
  });
  const id = crypto.randomUUID();
  await db.accountToken.create({
    data: {
      id,
      userId,
      purpose,
      tokenHash: tokenHash(tokenSecret(id)),
      newEmail: newEmail ?? null,
      createdAt: at,
      expiresAt: new Date(at.getTime() + TOKEN_LIFETIME_MS[purpose]),
    },
  });
  return { id, expiresAt: new Date(at.getTime() + TOKEN_LIFETIME_MS[purpose]) };
}

/**
 * Uses a token: one UPDATE that finds it unused and unexpired and marks it
 * used, so two requests with the same link cannot both succeed. Null for any
 * failure (unknown, used, expired, other purpose): callers say one thing.
 */
export async function useToken(db: Db, secret: string, purpose: AccountTokenPurpose, at: Date) {
  if (!TOKEN_SECRET_PATTERN.test(secret)) return null;
  const hash = tokenHash(secret);
  const { count } = await db.accountToken.updateMany({
    where: { tokenHash: hash, purpose, usedAt: null, expiresAt: { gt: at } },
    data: { usedAt: at },
  });
  if (count !== 1) return null;
  return db.accountToken.findUniqueOrThrow({
    where: { tokenHash: hash },
    select: { id: true, userId: true, newEmail: true },
  });
}

/** Whether a link would still work, without using it (the page that shows its form). */
export async function tokenUsable(db: Db, secret: string, purpose: AccountTokenPurpose, at: Date) {
  if (!TOKEN_SECRET_PATTERN.test(secret)) return false;
  const found = await db.accountToken.count({
    where: { tokenHash: tokenHash(secret), purpose, usedAt: null, expiresAt: { gt: at } },
  });
  return found === 1;
}

/** For pages: whether an emailed link still works, so a dead one says so before any form. */
export async function linkWorks(secret: string, purpose: AccountTokenPurpose): Promise<boolean> {
  return tokenUsable(prisma, secret, purpose, now());
}
