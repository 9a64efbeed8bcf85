// Accord's additions to next-auth's types (lib/auth/options.ts, lib/auth/session.ts).
import "next-auth";
import "next-auth/jwt";

declare module "next-auth" {
  interface User {
    /** users.session_version at sign-in. */
    sessionVersion: number;
  }
}

declare module "next-auth/jwt" {
  interface JWT {
    sv?: number;
    authAt?: number;
  }
}
