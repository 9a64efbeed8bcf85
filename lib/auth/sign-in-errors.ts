import "server-only";
import { isDatabaseUnavailable, reportDatabaseOutage } from "@/lib/db/outage";

/** The sign-in error when the service cannot check a password right now (the form explains it). */
export const SIGN_IN_UNAVAILABLE = "Unavailable";
/** Errors of our own that sign-in may report as they are ("RateLimited:<seconds>"). */
const OWN_CODES = /^RateLimited:\d+$/;

/**
 * next-auth puts the message of whatever `authorize` throws into the sign-in
 * URL (`/signin?error=...`). With the database down that was
 * `connect ECONNREFUSED 127.0.0.1:5440`: an internal address in a URL. Only
 * our own codes get through; anything else becomes "Unavailable", and an
 * outage is logged once per burst rather than per attempt.
 */
export function signInErrorsAsCodes<Args extends unknown[], R>(
  authorize: (...args: Args) => Promise<R>,
): (...args: Args) => Promise<R> {
  return async (...args: Args) => {
    try {
      return await authorize(...args);
    } catch (error) {
      if (error instanceof Error && OWN_CODES.test(error.message)) throw error;
      if (isDatabaseUnavailable(error)) reportDatabaseOutage("sign-in", error);
      else console.error("[auth] sign-in failed", error);
      throw new Error(SIGN_IN_UNAVAILABLE);
    }
  };
}
