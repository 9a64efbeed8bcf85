import "server-only";
// Sessions are next-auth JWTs (encrypted, in a cookie), made trustworthy by
// the database: each carries the user's session version at sign-in and the
// sign-in time. A request's session counts only if
//   - the cookie decrypts and has not expired (8 hours without use),
//   - it is younger than the absolute lifetime (12 hours after sign-in), and
//   - the user is active and still has that session version,
// the last two checked in the one query that loads the user. Sign-out,
// password change and "sign out everywhere" bump the version
// (bumpSessionVersion), which ends every session the user has.
//
// Framework-free: reads a Cookie header, so the custom server's fast paths
// can use it as well as pages, actions and routes (lib/auth/actor.ts). It
// decodes the token and never re-encrypts it or sets a cookie.
import { parse } from "cookie";
import { decode } from "next-auth/jwt";
import { z } from "zod";
import { env } from "@/lib/env";
import { now } from "@/lib/clock";
import { findSessionUser, type AuthenticatedUser } from "@/lib/users/authenticate";

export { bumpSessionVersion } from "@/lib/users/authenticate";

/** A session unused for this long expires (the cookie is renewed on use). */
export const SESSION_IDLE_SECONDS = 8 * 60 * 60;
/** However much it is used, a session ends this long after sign-in. */
export const SESSION_ABSOLUTE_SECONDS = 12 * 60 * 60;

/** Secure cookies (and the __Secure- prefix) exactly when APP_URL is https. */
export const USE_SECURE_COOKIES = new URL(env.APP_URL).protocol === "https:";
export const SESSION_COOKIE = `${USE_SECURE_COOKIES ? "__Secure-" : ""}next-auth.session-token`;

/** What Accord adds to next-auth's token. */
export const sessionClaimsSchema = z.object({
  sub: z.uuid(),
  /** users.session_version when the session was made. */
  sv: z.int().min(0),
  /** Sign-in time, seconds since the epoch. */
  authAt: z.int().min(0),
});
export type SessionClaims = z.infer<typeof sessionClaimsSchema>;

/** The claims of a token still within its absolute lifetime, or null. */
export function validSessionClaims(token: unknown): SessionClaims | null {
  const parsed = sessionClaimsSchema.safeParse(token);
  if (!parsed.success) return null;
  const age = now().getTime() / 1000 - parsed.data.authAt;
  return age <= SESSION_ABSOLUTE_SECONDS ? parsed.data : null;
}

/** The session token from a Cookie header (next-auth splits large ones into .0, .1, …). */
export function sessionTokenFrom(cookieHeader: string | null | undefined): string | null {
  if (!cookieHeader) return null;
  const cookies = parse(cookieHeader);
  const whole = cookies[SESSION_COOKIE];
  if (whole) return whole;
  const chunks: string[] = [];
  for (let i = 0; cookies[`${SESSION_COOKIE}.${i}`] !== undefined; i++) {
    chunks.push(cookies[`${SESSION_COOKIE}.${i}`] as string);
  }
  return chunks.length > 0 ? chunks.join("") : null;
}

/** Decrypts a session token; null when it is forged, damaged, expired or too old. */
export async function decodeSessionToken(token: string): Promise<SessionClaims | null> {
  try {
    return validSessionClaims(await decode({ token, secret: env.NEXTAUTH_SECRET }));
  } catch {
    return null;
  }
}

/** The user a request's Cookie header signs in, or null. One database query at most. */
export async function readSessionActor(
  cookieHeader: string | null | undefined,
): Promise<AuthenticatedUser | null> {
  const token = sessionTokenFrom(cookieHeader);
  if (!token) return null;
  const claims = await decodeSessionToken(token);
  if (!claims) return null;
  return findSessionUser(claims.sub, claims.sv);
}
