import "server-only";
import pg from "pg";
import { Webhook } from "standardwebhooks";
import { pool, prisma } from "@/lib/db";
import { env } from "@/lib/env";
import { now } from "@/lib/clock";
import { appSealer } from "@/lib/secrets/app-sealer";
import { queueMail } from "@/lib/notifications/outbox";
import { retryDelayMs } from "@/lib/notifications/retry";
import { secretContext } from "@/lib/webhooks/secret";

export interface DispatcherOptions {
  batchSize?: number;
  /** Requests in flight at once within a batch. */
  concurrency?: number;
  /** After this many failed attempts a delivery is FAILED (an admin can replay it). */
  maxAttempts?: number;
  /** First retry delay; each further retry doubles it, up to maxDelayMs. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** This many failed attempts in a row, across deliveries, disable the endpoint and email the admins. */
  disableAfterFailures?: number;
  /** A SENDING row older than this belonged to a dispatcher that died: claim it again. */
  leaseMs?: number;
  /** How long to wait for an endpoint's answer. */
  timeoutMs?: number;
  clock?: () => Date;
}

export interface DispatchReport {
  claimed: number;
  delivered: number;
  retrying: number;
  failed: number;
  disabled: number;
}

// Small claims under a short lease (issue 9, as for mail): a dispatcher that
// dies holds at most 8 deliveries, for 20 s. A claim is sent within one
// request timeout (10 s, all 8 in parallel), well inside its lease; several
// lanes keep throughput up.
const DEFAULTS = {
  batchSize: 8,
  concurrency: 16,
  maxAttempts: 10,
  baseDelayMs: 30_000,
  maxDelayMs: 6 * 3_600_000,
  disableAfterFailures: 50,
  leaseMs: 20_000,
  timeoutMs: 10_000,
};

/** The channel the outbox's trigger notifies (accord_enqueue_webhook). */
export const WEBHOOK_CHANNEL = "accord_webhooks";

interface Claimed {
  id: string;
  endpoint_id: string;
  message_id: string;
  /** The JSON body exactly as sent, the same on every attempt. */
  body: string;
  attempts: number;
  url: string;
  secret_sealed: string;
}

/**
 * Claims due deliveries of enabled endpoints. SKIP LOCKED lets any number of
 * dispatchers run: each row is taken by exactly one, none waits for
 * another's. A first attempt is due at once whatever the clock says; a retry
 * when its backoff has passed. Raw SQL (typed row) because it claims and
 * reads in one round trip, like the mail outbox (lib/notifications/worker.ts).
 */
async function claimDue(limit: number, at: Date, leaseMs: number): Promise<Claimed[]> {
  const { rows } = await pool.query<Claimed>(
    `WITH due AS (
       SELECT d.id FROM webhook_deliveries d
       JOIN webhook_endpoints e ON e.id = d.endpoint_id AND e.disabled_at IS NULL
       WHERE (d.status = 'PENDING' AND (d.attempts = 0 OR d.next_attempt_at <= $1))
          OR (d.status = 'SENDING' AND d.locked_at < $1::timestamptz - make_interval(secs => $3::double precision / 1000))
       ORDER BY d.id
       LIMIT $2
       FOR UPDATE OF d SKIP LOCKED
     ), claimed AS (
       UPDATE webhook_deliveries d SET status = 'SENDING', locked_at = $1, attempts = d.attempts + 1
       FROM due WHERE d.id = due.id
       RETURNING d.id, d.endpoint_id, d.message_id, d.payload, d.attempts
     )
     SELECT c.id::text AS id, c.endpoint_id::text AS endpoint_id, c.message_id, c.payload::text AS body,
       c.attempts, e.url, e.secret_sealed
     FROM claimed c JOIN webhook_endpoints e ON e.id = c.endpoint_id
     ORDER BY c.id`,
    [at, limit, leaseMs],
  );
  return rows;
}

// Secrets never change for an endpoint, so each is unsealed once per process.
const signers = new Map<string, Webhook>();
function signerFor(row: Claimed): Webhook {
  let signer = signers.get(row.endpoint_id);
  if (!signer) {
    const secret = appSealer().open(row.secret_sealed, secretContext(row.endpoint_id)).toString("utf8");
    signer = new Webhook(secret);
    signers.set(row.endpoint_id, signer);
  }
  return signer;
}

interface Outcome {
  statusCode: number | null;
  durationMs: number;
  error: string | null;
}

/** One signed POST (Standard Webhooks headers). Any 2xx is success; redirects are not followed. */
async function post(row: Claimed, timeoutMs: number): Promise<Outcome> {
  // Stamped with the app's clock, not a scheduling clock a test may move:
  // receivers check the timestamp against their own (5 minutes' tolerance).
  const sentAt = now();
  const started = performance.now();
  try {
    const response = await fetch(row.url, {
      method: "POST",
      redirect: "manual",
      signal: AbortSignal.timeout(timeoutMs),
      headers: {
        "content-type": "application/json",
        "user-agent": "Accord-Webhooks/1",
        "webhook-id": row.message_id,
        "webhook-timestamp": String(Math.floor(sentAt.getTime() / 1000)),
        "webhook-signature": signerFor(row).sign(row.message_id, sentAt, row.body),
      },
      body: row.body,
    });
    await response.body?.cancel();
    const durationMs = Math.round(performance.now() - started);
    const good = response.status >= 200 && response.status < 300;
    return {
      statusCode: response.status,
      durationMs,
      error: good ? null : `HTTP ${response.status}`,
    };
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    const message = error instanceof Error ? error.message : String(error);
    return {
      statusCode: null,
      durationMs: Math.round(performance.now() - started),
      error: (cause ? `${message} (${cause})` : message).slice(0, 500),
    };
  }
}

/**
 * Settles a batch's successes in one round trip: the deliveries, their log
 * lines and their endpoints' failure counts. Only rows still SENDING are
 * settled (a row a stalled dispatcher lost to another is left alone).
 */
async function recordSuccesses(done: { row: Claimed; outcome: Outcome }[], at: Date): Promise<void> {
  if (done.length === 0) return;
  await pool.query(
    `WITH s AS (
       SELECT * FROM unnest($1::bigint[], $2::int[], $3::int[]) AS t(id, status_code, duration_ms)
     ), d AS (
       UPDATE webhook_deliveries w SET status = 'DELIVERED', delivered_at = $4, locked_at = NULL,
         last_status = s.status_code, last_error = NULL
       FROM s WHERE w.id = s.id AND w.status = 'SENDING'
     ), a AS (
       INSERT INTO webhook_attempts (delivery_id, attempted_at, status_code, duration_ms, error)
       SELECT s.id, $4, s.status_code, s.duration_ms, NULL FROM s
     )
     UPDATE webhook_endpoints SET consecutive_failures = 0
     WHERE id = ANY ($5::uuid[]) AND consecutive_failures <> 0`,
    [
      done.map((d) => d.row.id),
      done.map((d) => d.outcome.statusCode),
      done.map((d) => d.outcome.durationMs),
      at,
      [...new Set(done.map((d) => d.row.endpoint_id))],
    ],
  );
}

/**
 * A failed attempt: retry later or give up, count it against the endpoint,
 * and disable the endpoint (emailing every admin through the mail outbox, in
 * the same transaction) when too many failed in a row. The disabling UPDATE
 * re-checks disabled_at, so concurrent failures disable and email once.
 */
async function recordFailure(
  row: Claimed,
  outcome: Outcome,
  at: Date,
  o: typeof DEFAULTS,
): Promise<{ final: boolean; disabled: boolean }> {
  const final = row.attempts >= o.maxAttempts;
  const next = new Date(at.getTime() + retryDelayMs(row.attempts, o.baseDelayMs, o.maxDelayMs));
  return prisma.$transaction(async (tx) => {
    await tx.$executeRaw`
      UPDATE webhook_deliveries SET status = ${final ? "FAILED" : "PENDING"}::"WebhookDeliveryStatus",
        next_attempt_at = ${final ? at : next}, locked_at = NULL,
        last_status = ${outcome.statusCode}, last_error = ${outcome.error}
      WHERE id = ${row.id}::bigint AND status = 'SENDING'`;
    await tx.$executeRaw`
      INSERT INTO webhook_attempts (delivery_id, attempted_at, status_code, duration_ms, error)
      VALUES (${row.id}::bigint, ${at}, ${outcome.statusCode}, ${outcome.durationMs}, ${outcome.error})`;
    const [counted] = await tx.$queryRaw<{ consecutive_failures: number }[]>`
      UPDATE webhook_endpoints SET consecutive_failures = consecutive_failures + 1
      WHERE id = ${row.endpoint_id}::uuid RETURNING consecutive_failures`;
    const failures = counted?.consecutive_failures ?? 0;
    if (failures < o.disableAfterFailures) return { final, disabled: false };
    const disabled = await tx.$queryRaw<{ id: string }[]>`
      UPDATE webhook_endpoints SET disabled_at = ${at},
        disabled_reason = ${`Disabled after ${failures} failed attempts in a row.`}
      WHERE id = ${row.endpoint_id}::uuid AND disabled_at IS NULL
      RETURNING id::text`;
    if (disabled.length === 0) return { final, disabled: false };
    const admins = await tx.user.findMany({
      where: { role: "ADMIN", deregisteredAt: null },
      select: { id: true, email: true },
    });
    for (const admin of admins)
      await queueMail(tx, {
        userId: admin.id,
        to: admin.email,
        kind: "webhook-disabled",
        payload: {
          endpointId: row.endpoint_id,
          url: row.url,
          failures,
          lastError: outcome.error,
        },
        at,
      });
    return { final, disabled: true };
  });
}

/** Claims one batch and sends it. Returns what happened, for logs and tests. */
export async function dispatchOnce(options: DispatcherOptions = {}): Promise<DispatchReport> {
  const o = { ...DEFAULTS, ...options };
  const clock = options.clock ?? now;
  const report: DispatchReport = { claimed: 0, delivered: 0, retrying: 0, failed: 0, disabled: 0 };
  const claimed = await claimDue(o.batchSize, clock(), o.leaseMs);
  report.claimed = claimed.length;
  const queue = [...claimed];
  const succeeded: { row: Claimed; outcome: Outcome }[] = [];
  const sendNext = async (): Promise<void> => {
    const row = queue.shift();
    if (!row) return;
    const outcome = await post(row, o.timeoutMs);
    if (outcome.error === null) {
      succeeded.push({ row, outcome });
      report.delivered += 1;
    } else {
      const { final, disabled } = await recordFailure(row, outcome, clock(), o);
      report[final ? "failed" : "retrying"] += 1;
      if (disabled) report.disabled += 1;
    }
    return sendNext();
  };
  await Promise.all(Array.from({ length: Math.min(o.concurrency, claimed.length) }, sendNext));
  await recordSuccesses(succeeded, clock());
  return report;
}

/** Sends until nothing is due now (retries scheduled later are left for later). */
export async function drainWebhooks(options: DispatcherOptions = {}, maxBatches = 10_000) {
  const total: DispatchReport = { claimed: 0, delivered: 0, retrying: 0, failed: 0, disabled: 0 };
  for (let i = 0; i < maxBatches; i += 1) {
    const report = await dispatchOnce(options);
    for (const key of Object.keys(total) as (keyof DispatchReport)[]) total[key] += report[key];
    if (report.claimed === 0) break;
  }
  return total;
}

/**
 * Wakes the loop when a transaction that queued a delivery commits
 * (pg_notify in accord_enqueue_webhook). Where LISTEN is not available the
 * loop still polls, only more often.
 */
async function listen(onNotify: () => void, log: Pick<Console, "error">): Promise<pg.Client | null> {
  const client = new pg.Client({ connectionString: env.DATABASE_URL });
  try {
    await client.connect();
    client.on("notification", onNotify);
    client.on("error", (error) => log.error(`[webhooks] LISTEN connection lost: ${error.message}`));
    await client.query(`LISTEN ${WEBHOOK_CHANNEL}`);
    return client;
  } catch (error) {
    log.error("[webhooks] LISTEN unavailable; polling instead", error);
    await client.end().catch(() => undefined);
    return null;
  }
}

/**
 * The long-running dispatcher (`npm start` runs it in-process, `npm run
 * worker` too). Sends while there is work, then sleeps until a commit
 * notifies it or the poll interval passes (retries come due that way).
 */
export async function runDispatcherLoop({
  signal,
  idleMs = 1_000,
  errorBackoffMs = 5_000,
  lanes = 4,
  log = console,
  ...options
}: DispatcherOptions & {
  signal: AbortSignal;
  idleMs?: number;
  errorBackoffMs?: number;
  /** Batches in flight at once: a lane claims the next batch while the others still send theirs. */
  lanes?: number;
  log?: Pick<Console, "info" | "error">;
}): Promise<void> {
  // Each lane sleeps on its own waiter; a notification wakes them all.
  const waiters = new Set<() => void>();
  let generation = 0;
  const notify = () => {
    generation += 1;
    for (const wake of waiters) wake();
  };
  const wait = (ms: number, seen: number) =>
    new Promise<void>((resolve) => {
      if (generation !== seen || signal.aborted) return resolve();
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        signal.removeEventListener("abort", done);
        waiters.delete(done);
        resolve();
      }
      waiters.add(done);
      signal.addEventListener("abort", done, { once: true });
    });
  const listener = env.DATABASE_EMBEDDED ? null : await listen(notify, log);
  log.info(`[webhooks] dispatcher started (${listener ? "LISTEN" : "polling"}, ${lanes} lanes)`);
  const lane = async () => {
    while (!signal.aborted) {
      const seen = generation;
      try {
        const report = await dispatchOnce(options);
        if (report.claimed > 0) {
          if (report.retrying || report.failed || report.disabled)
            log.info(
              `[webhooks] delivered ${report.delivered}, retrying ${report.retrying}, failed ${report.failed}, endpoints disabled ${report.disabled}`,
            );
          continue;
        }
        await wait(listener ? idleMs * 5 : idleMs, seen);
      } catch (error) {
        log.error("[webhooks] batch failed; retrying later", error);
        await wait(errorBackoffMs, generation);
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, lanes) }, lane));
  } finally {
    await listener?.end().catch(() => undefined);
    log.info("[webhooks] dispatcher stopped");
  }
}
