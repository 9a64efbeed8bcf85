import "server-only";
import { encode } from "next-auth/jwt";
import { env } from "@/lib/env";
import {
  decodeSessionToken,
  SESSION_COOKIE,
  SESSION_IDLE_SECONDS,
  sessionTokenFrom,
  USE_SECURE_COOKIES,
} from "@/lib/auth/session";

export interface SessionCookie {
  name: string;
  value: string;
  options: { httpOnly: true; sameSite: "lax"; path: "/"; secure: boolean; maxAge: number };
}

/**
 * After a change that ended every session (a new session_version), the cookie
 * for the session the change was made from: the same sign-in time (so the
 * 12-hour limit still counts from sign-in), the new version. Null when the
 * request carried no valid session.
 */
export async function sessionCookieAfterBump(
  cookieHeader: string | null,
  sessionVersion: number,
): Promise<SessionCookie | null> {
  const token = sessionTokenFrom(cookieHeader);
  const claims = token ? await decodeSessionToken(token) : null;
  if (!claims) return null;
  const value = await encode({
    token: { sub: claims.sub, sv: sessionVersion, authAt: claims.authAt },
    secret: env.NEXTAUTH_SECRET,
    maxAge: SESSION_IDLE_SECONDS,
  });
  return {
    name: SESSION_COOKIE,
    value,
    options: {
      httpOnly: true,
      sameSite: "lax",
      path: "/",
      secure: USE_SECURE_COOKIES,
      maxAge: SESSION_IDLE_SECONDS,
    },
  };
}
