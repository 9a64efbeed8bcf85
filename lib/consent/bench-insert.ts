import "server-only";
import { pool } from "@/lib/db";
import { now } from "@/lib/clock";

/**
 * The baseline of bench/consent-append.ts: one plain INSERT of a row about
 * as wide as a consent event, through the same pool and the same prepared
 * statement path as the ledger append. Imported only by the bench route
 * (app/api/test/bench-insert/route.test-build.ts), which exists only in
 * builds made for tests.
 */
export async function benchPlainInsert(actorId: string | null, userAgent: string | null): Promise<void> {
  await pool.query({
    name: "bench-plain-insert-v1",
    text: "INSERT INTO audit_log (actor_id, action, user_agent, details, created_at) VALUES ($1::uuid, 'bench.plain-insert', $2, '{}', $3)",
    values: [actorId, userAgent, now()],
  });
}
