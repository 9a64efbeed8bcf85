import "server-only";
import { RateLimiterPostgres, RateLimiterRes } from "rate-limiter-flexible";
import { pool } from "@/lib/db";
import { env } from "@/lib/env";
import { fail, type Failure } from "@/lib/result";

// Stored in Postgres (table rate_limits, created by the migrations) so the
// limits hold across processes and restarts. Every limit is taken with an
// atomic consume (one INSERT … ON CONFLICT … RETURNING) *before* the work it
// guards, so simultaneous requests cannot all slip under it.
//
// Sign-in (issue 9, finding 8):
//   - per address: 30 attempts per 15 minutes, whatever the account;
//   - per account and address: 5 attempts per 15 minutes;
//   - per account, from anywhere: 5 attempts freely, then growing delays
//     (1 s, 2 s, 4 s, … up to 5 minutes between attempts), and at most one
//     attempt is let through per delay. An account is never locked for
//     everyone: its owner waits seconds to minutes, not a fixed 15 minutes.
// A successful sign-in clears the account's counters and gives the address its attempt back.
// Keys that name an account end with ":<email>" (lib/retention/erase-account.ts relies on it).
const common = {
  storeClient: pool,
  storeType: "pool",
  tableName: "rate_limits",
  tableCreated: true,
} as const;

const WINDOW_SECONDS = 15 * 60;
export const SIGN_IN_FREE_ATTEMPTS = 5;
export const SIGN_IN_MAX_DELAY_SECONDS = 5 * 60;

const perIp = new RateLimiterPostgres({
  ...common,
  keyPrefix: "signin_ip",
  points: 30,
  duration: WINDOW_SECONDS,
});
const perPair = new RateLimiterPostgres({
  ...common,
  keyPrefix: "signin_pair",
  points: SIGN_IN_FREE_ATTEMPTS,
  duration: WINDOW_SECONDS,
});
/** Counts an account's attempts; never refuses by itself (the pace limiter does). */
const accountAttempts = new RateLimiterPostgres({
  ...common,
  keyPrefix: "signin_account",
  points: Number.MAX_SAFE_INTEGER,
  duration: WINDOW_SECONDS,
});
/** One attempt per delay once the free attempts are used; the delay is set per consume. */
const accountPace = new RateLimiterPostgres({ ...common, keyPrefix: "signin_pace", points: 1, duration: 1 });

export type Throttle = { limited: false } | { limited: true; retryAfterSeconds: number };

const limited = (ms: number): Throttle => ({
  limited: true,
  retryAfterSeconds: Math.max(1, Math.ceil(ms / 1000)),
});

/** The wait before attempt number `attempt` of an account (1-based) may be checked. */
export function signInDelaySeconds(attempt: number): number {
  if (attempt <= SIGN_IN_FREE_ATTEMPTS) return 0;
  return Math.min(2 ** (attempt - SIGN_IN_FREE_ATTEMPTS - 1), SIGN_IN_MAX_DELAY_SECONDS);
}

/** Consumes a limiter; a refusal becomes a value, a database error stays an error. */
async function take(
  limiter: RateLimiterPostgres,
  key: string,
  options?: { customDuration: number },
): Promise<RateLimiterRes | { refusedFor: number }> {
  try {
    return await limiter.consume(key, 1, options);
  } catch (error) {
    if (error instanceof RateLimiterRes) return { refusedFor: error.msBeforeNext };
    throw error;
  }
}

/**
 * Takes one sign-in attempt for `email` from `ip`, before the password is
 * checked. Limited: do not check the password; answer with the wait.
 */
export async function signInThrottle(email: string, ip: string): Promise<Throttle> {
  const taken = await Promise.all([
    take(perIp, ip),
    take(perPair, `${ip}:${email}`),
    take(accountAttempts, email),
  ]);
  const refusals = taken.filter((t): t is { refusedFor: number } => "refusedFor" in t);
  if (refusals.length > 0) return limited(Math.max(...refusals.map((r) => r.refusedFor)));
  const attempt = (taken[2] as RateLimiterRes).consumedPoints;
  const delay = signInDelaySeconds(attempt);
  if (delay === 0) return { limited: false };
  const paced = await take(accountPace, email, { customDuration: delay });
  return "refusedFor" in paced ? limited(paced.refusedFor) : { limited: false };
}

/**
 * A failed attempt. It was counted when it was taken (signInThrottle), so
 * nothing more is recorded; kept so callers say what happened.
 */
export async function recordFailedSignIn(email: string, ip: string): Promise<void> {
  void email;
  void ip;
}

/** A successful sign-in: the account's own counters start again. */
export async function clearFailedSignIns(email: string, ip?: string): Promise<void> {
  await Promise.all([
    accountAttempts.delete(email),
    accountPace.delete(email),
    // The address's attempt is given back: its limit counts failures (and attempts in flight).
    ...(ip ? [perPair.delete(`${ip}:${email}`), perIp.reward(ip, 1)] : []),
  ]);
}

/** Sign-ups per address: SIGN_UPS_PER_HOUR (10). */
const signUps = new RateLimiterPostgres({
  ...common,
  keyPrefix: "signup_ip",
  points: env.SIGN_UPS_PER_HOUR,
  duration: 60 * 60,
});

/** Consent changes a person makes (web and JSON API): CONSENT_WRITES_PER_MINUTE (60) each. */
const consentWrites = new RateLimiterPostgres({
  ...common,
  keyPrefix: "consent_user",
  points: env.CONSENT_WRITES_PER_MINUTE,
  duration: 60,
});

function tooMany(ms: number): Failure & { retryAfterSeconds: number } {
  const seconds = Math.max(1, Math.ceil(ms / 1000));
  return {
    ...fail(429, "rate_limited", `Too many requests. Try again in ${seconds} seconds.`, undefined, {
      seconds,
    }),
    retryAfterSeconds: seconds,
  };
}

/** Takes one sign-up from `ip`; a failure (429) when the address has used its allowance. */
export async function consumeSignUp(ip: string): Promise<(Failure & { retryAfterSeconds: number }) | null> {
  const taken = await take(signUps, ip);
  return "refusedFor" in taken ? tooMany(taken.refusedFor) : null;
}

/** Takes one consent change for `userId`; a failure (429) past the limit. */
export async function consumeConsentWrite(
  userId: string,
): Promise<(Failure & { retryAfterSeconds: number }) | null> {
  const taken = await take(consentWrites, userId);
  return "refusedFor" in taken ? tooMany(taken.refusedFor) : null;
}

/**
 * Emails about an account sent to one address (reset links, confirmation
 * links, "you already have an account"): 5 an hour, so nobody can flood an
 * inbox through our forms. Counted for every address alike, registered or
 * not, so a refusal reveals nothing. The key ends with ":<email>" (erasure).
 */
const accountMailPerAddress = new RateLimiterPostgres({
  ...common,
  keyPrefix: "account_mail",
  points: 5,
  duration: 60 * 60,
});

/** Requests for such emails from one client address: 20 an hour. */
const accountMailPerIp = new RateLimiterPostgres({
  ...common,
  keyPrefix: "account_mail_ip",
  points: 20,
  duration: 60 * 60,
});

/** Takes one account email to `email`; a failure (429) past the limit. */
export async function consumeAccountMail(
  email: string,
): Promise<(Failure & { retryAfterSeconds: number }) | null> {
  const taken = await take(accountMailPerAddress, email);
  return "refusedFor" in taken ? tooMany(taken.refusedFor) : null;
}

/** Takes one request for an account email (e.g. "Forgot password?") from `ip`. */
export async function consumeAccountMailRequest(
  ip: string,
): Promise<(Failure & { retryAfterSeconds: number }) | null> {
  const taken = await take(accountMailPerIp, ip);
  return "refusedFor" in taken ? tooMany(taken.refusedFor) : null;
}
