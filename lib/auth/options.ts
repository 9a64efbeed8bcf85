import "server-only";
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { env } from "@/lib/env";
import { now } from "@/lib/clock";
import { signInSchema } from "@/lib/auth/schemas";
import { authenticate, bumpSessionVersion, findSessionUser } from "@/lib/users/authenticate";
import { clearFailedSignIns, recordFailedSignIn, signInThrottle } from "@/lib/auth/rate-limit";
import { requestMetaFrom } from "@/lib/http/request-meta";
import { SESSION_IDLE_SECONDS, USE_SECURE_COOKIES, validSessionClaims } from "@/lib/auth/session";
import { safeReturnPath } from "@/lib/auth/redirect";
import { signInErrorsAsCodes } from "@/lib/auth/sign-in-errors";

/** Thrown from the jwt callback so next-auth clears the cookie of an ended session. */
class SessionEnded extends Error {
  constructor() {
    super("The session has ended.");
  }
}

export const authOptions: NextAuthOptions = {
  secret: env.NEXTAUTH_SECRET,
  // Credentials sign-in needs JWT sessions. Every request checks the token
  // against the database (lib/auth/session.ts): role changes, deregistration
  // and sign-out take effect at once, and a session ends 12 hours after
  // sign-in however often it is renewed.
  session: { strategy: "jwt", maxAge: SESSION_IDLE_SECONDS },
  // Secure cookies exactly when APP_URL is https (README, "Cookies").
  useSecureCookies: USE_SECURE_COOKIES,
  pages: { signIn: "/signin", error: "/signin" },
  providers: [
    CredentialsProvider({
      name: "Email and password",
      credentials: { email: { type: "email" }, password: { type: "password" } },
      // What fails here ends up in the sign-in URL (?error=...): only our own
      // codes may, never a driver's message naming an internal address.
      authorize: signInErrorsAsCodes(async (credentials, req) => {
        const parsed = signInSchema.safeParse(credentials);
        if (!parsed.success) return null;
        const { email, password } = parsed.data;
        const ip = requestMetaFrom(new Headers(req.headers as Record<string, string>)).ip;
        const throttle = await signInThrottle(email, ip);
        if (throttle.limited) throw new Error(`RateLimited:${throttle.retryAfterSeconds}`);
        const user = await authenticate(email, password);
        if (!user) {
          await recordFailedSignIn(email, ip);
          return null;
        }
        await clearFailedSignIns(email, ip);
        return { id: user.id, email: user.email, sessionVersion: user.sessionVersion };
      }),
    }),
  ],
  callbacks: {
    async jwt({ token, user }) {
      if (user) {
        token.sub = user.id;
        token.sv = user.sessionVersion;
        token.authAt = Math.floor(now().getTime() / 1000);
        return token;
      }
      // /api/auth/session renews the cookie only while the session is valid.
      const claims = validSessionClaims(token);
      if (!claims || !(await findSessionUser(claims.sub, claims.sv))) throw new SessionEnded();
      return token;
    },
    session({ session, token }) {
      return { ...session, userId: token.sub };
    },
    // Only paths on APP_URL's origin; made absolute because next-auth's client expects a URL.
    redirect({ url, baseUrl }) {
      return `${baseUrl}${safeReturnPath(url, env.APP_URL, "/")}`;
    },
  },
  events: {
    // Signing out ends the session everywhere: a copy of the cookie is useless afterwards.
    async signOut({ token }) {
      const claims = validSessionClaims(token);
      if (claims) await bumpSessionVersion(claims.sub);
    },
  },
  logger: {
    error(code, metadata) {
      // An ended or expired session is not a server error.
      if (code === "JWT_SESSION_ERROR") return;
      console.error(`[next-auth] ${code}`, metadata);
    },
    warn(code) {
      console.warn(`[next-auth] ${code}`);
    },
    debug() {},
  },
};
