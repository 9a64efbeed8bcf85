import "server-only";
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { env } from "@/lib/env";
import { signInSchema } from "@/lib/auth/schemas";
import { authenticate } from "@/lib/users/authenticate";
import { clearFailedSignIns, recordFailedSignIn, signInThrottle } from "@/lib/auth/rate-limit";
import { requestMetaFrom } from "@/lib/http/request-meta";

export const authOptions: NextAuthOptions = {
  secret: env.NEXTAUTH_SECRET,
  // Credentials sign-in needs JWT sessions; every request still re-reads the
  // user from the database (lib/auth/actor.ts), so role changes and
  // deregistration take effect at once.
  session: { strategy: "jwt", maxAge: 8 * 60 * 60 },
  pages: { signIn: "/signin", error: "/signin" },
  providers: [
    CredentialsProvider({
      name: "Email and password",
      credentials: { email: { type: "email" }, password: { type: "password" } },
      async authorize(credentials, req) {
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
        await clearFailedSignIns(email);
        return { id: user.id, email: user.email };
      },
    }),
  ],
  callbacks: {
    jwt({ token, user }) {
      if (user) token.sub = user.id;
      return token;
    },
    session({ session, token }) {
      return { ...session, userId: token.sub };
    },
  },
};
