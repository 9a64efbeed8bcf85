import { randomUUID } from "node:crypto";
import { encode } from "next-auth/jwt";
import { env } from "@/lib/env";
import { SESSION_COOKIE, SESSION_IDLE_SECONDS } from "@/lib/auth/session";
import { createUser } from "@/lib/users/create-user";
import { authenticate } from "@/lib/users/authenticate";
import type { Role } from "@/lib/generated/prisma/enums";

export const TEST_PASSWORD = "correct horse battery staple";

/** A new user, created and signed in through the services. */
export async function createSignedInUser(role: Role = "USER") {
  const email = `${role.toLowerCase()}-${randomUUID()}@security.accord.test`;
  const created = await createUser({ email, password: TEST_PASSWORD, role });
  if (!created.ok) throw new Error(created.message);
  const user = await authenticate(email, TEST_PASSWORD);
  if (!user) throw new Error("could not sign in");
  return { ...user, cookie: await sessionCookie(user) };
}

/**
 * The Cookie header a browser would send after signing in, made as next-auth
 * makes it (same claims, same secret). `authAt` backdates the sign-in.
 */
export async function sessionCookie(
  user: { id: string; sessionVersion: number },
  options: { authAt?: Date; secret?: string } = {},
): Promise<string> {
  const token = await encode({
    token: {
      sub: user.id,
      sv: user.sessionVersion,
      authAt: Math.floor((options.authAt ?? new Date()).getTime() / 1000),
    },
    secret: options.secret ?? env.NEXTAUTH_SECRET,
    maxAge: SESSION_IDLE_SECONDS,
  });
  return `${SESSION_COOKIE}=${token}`;
}
