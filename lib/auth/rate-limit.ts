import "server-only";
import { RateLimiterPostgres, RateLimiterRes } from "rate-limiter-flexible";
import { pool } from "@/lib/db";

// Stored in Postgres (table rate_limits, created by the migrations) so the
// limits hold across processes and restarts.
const common = {
  storeClient: pool,
  storeType: "pool",
  tableName: "rate_limits",
  tableCreated: true,
} as const;

/** Failed sign-ins per account: 5 per 15 minutes. */
const perAccount = new RateLimiterPostgres({
  ...common,
  keyPrefix: "signin_account",
  points: 5,
  duration: 15 * 60,
});
/** Failed sign-ins per IP: 30 per 15 minutes (several people may share an address). */
const perIp = new RateLimiterPostgres({ ...common, keyPrefix: "signin_ip", points: 30, duration: 15 * 60 });

export type Throttle = { limited: false } | { limited: true; retryAfterSeconds: number };

export async function signInThrottle(email: string, ip: string): Promise<Throttle> {
  const [account, address] = await Promise.all([perAccount.get(email), perIp.get(ip)]);
  const blocked = [account, address].filter(
    (r): r is RateLimiterRes => r !== null && r.consumedPoints >= (r === account ? perAccount : perIp).points,
  );
  if (blocked.length === 0) return { limited: false };
  const retryAfterSeconds = Math.ceil(Math.max(...blocked.map((r) => r.msBeforeNext)) / 1000);
  return { limited: true, retryAfterSeconds };
}

export async function recordFailedSignIn(email: string, ip: string): Promise<void> {
  await Promise.all([perAccount.penalty(email, 1), perIp.penalty(ip, 1)]);
}

export async function clearFailedSignIns(email: string): Promise<void> {
  await perAccount.delete(email);
}
