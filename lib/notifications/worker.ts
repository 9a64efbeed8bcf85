import "server-only";
import { pool } from "@/lib/db";
import { env } from "@/lib/env";
import { now } from "@/lib/clock";
import { createMailer, type Mailer } from "@/lib/notifications/mailer";
import { composeVersionEmail } from "@/lib/notifications/message";
import { interfaceLocale } from "@/lib/i18n/translator";
import { getSettings } from "@/lib/settings";
import { composeMail, UnknownMailError } from "@/lib/notifications/compose";
import { VERSION_NOTICE_KIND } from "@/lib/notifications/queue";
import type { ComposedEmail } from "@/lib/notifications/blocks";
import { retryDelayMs } from "@/lib/notifications/retry";
import { sleep } from "@/lib/async/sleep";
import { isDatabaseUnavailable, reportDatabaseOutage } from "@/lib/db/outage";
import { claimLeased, holdLease, leasedTable, settleLeased } from "@/lib/outbox/lease";
import { tokenSecret } from "@/lib/accounts/tokens";

export interface WorkerOptions {
  mailer?: Mailer;
  batchSize?: number;
  /** Sends in flight at once within a batch. */
  concurrency?: number;
  /** After this many failed attempts a notification is FAILED for good. */
  maxAttempts?: number;
  /** First retry delay; each further retry doubles it (capped at maxDelayMs). */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /**
   * How long a claim holds its rows without renewal; the worker renews it
   * every third of this while it sends. A SENDING row not renewed for this
   * long belonged to a worker that died: claim it again.
   */
  leaseMs?: number;
  appUrl?: string;
  clock?: () => Date;
}

interface Claimed {
  id: string;
  email: string;
  attempts: number;
  kind: string;
  payload: unknown;
  /** The version of a notification run ("version-notice"); null for other kinds. */
  number: number | null;
  title: string | null;
  change_summary: string | null;
  effective_at: Date | null;
  /** The recipient's language (their profile), for the emails written here. */
  locale: string | null;
}

export interface BatchReport {
  claimed: number;
  sent: number;
  retrying: number;
  failed: number;
}

// Small claims under a short, renewed lease: a worker that dies delays at
// most its one batch, by about the lease (finding 14 of issue 9).
const DEFAULTS = {
  batchSize: 8,
  concurrency: 4,
  maxAttempts: 5,
  baseDelayMs: 60_000,
  maxDelayMs: 6 * 3_600_000,
  leaseMs: 15_000,
};

const OUTBOX = leasedTable("notifications");

/**
 * Claims due notifications under a lease (lib/outbox/lease.ts): any number of
 * workers may run, each row is taken by exactly one of them.
 */
export async function claimDue(limit: number, at: Date, leaseMs: number) {
  return claimLeased<Claimed>(pool, OUTBOX, {
    limit,
    at,
    leaseMs,
    // The version's title in the recipient's language when it is translated into it.
    select: `SELECT c.id::text AS id, c.email, c.attempts, c.kind, c.payload,
       v.number, COALESCE(tr.title, v.title) AS title, v.change_summary, v.effective_at, u.locale
     FROM claimed c
     LEFT JOIN users u ON u.id = c.user_id
     LEFT JOIN notification_runs r ON r.id = c.run_id
     LEFT JOIN agreement_versions v ON v.id = r.version_id
     LEFT JOIN agreement_translations tr
       ON tr.version_id = v.id AND tr.locale = u.locale AND tr.published_at IS NOT NULL
     ORDER BY c.id`,
  });
}

/**
 * One template per kind, in the recipient's language (their profile): the
 * version notice reads its run's version, the others their payload.
 */
function compose(row: Claimed, appUrl: string): ComposedEmail {
  // Account links are derived here, from their token's id (lib/accounts/tokens.ts).
  if (row.kind !== VERSION_NOTICE_KIND)
    return composeMail(row.kind, row.payload, appUrl, interfaceLocale(row.locale), (id) => tokenSecret(id));
  if (row.number === null || row.title === null || row.effective_at === null)
    throw new UnknownMailError("a version notice without its version");
  return composeVersionEmail({
    appUrl,
    title: row.title,
    number: row.number,
    changeSummary: row.change_summary,
    effectiveAt: row.effective_at,
    locale: interfaceLocale(row.locale),
    timeZone: getSettings().timeZone,
  });
}

/**
 * SMTP 5xx replies are permanent (no such mailbox, rejected): retrying cannot
 * help. Nor can it for a row no template can write.
 */
function isPermanent(error: unknown): boolean {
  if (error instanceof UnknownMailError) return true;
  const code = (error as { responseCode?: unknown } | null)?.responseCode;
  return typeof code === "number" && code >= 500 && code < 600;
}

/** Claims one batch and sends it. Returns what happened, for logs and tests. */
export async function runWorkerOnce(options: WorkerOptions = {}): Promise<BatchReport> {
  const o = { ...DEFAULTS, ...options };
  const clock = options.clock ?? now;
  const appUrl = options.appUrl ?? env.APP_URL;
  const ownMailer = options.mailer ? null : createMailer();
  const mailer = options.mailer ?? (ownMailer as Mailer);
  const report: BatchReport = { claimed: 0, sent: 0, retrying: 0, failed: 0 };
  let lease: { stop(): void } | undefined;
  try {
    const { token, rows: claimed } = await claimDue(o.batchSize, clock(), o.leaseMs);
    report.claimed = claimed.length;
    if (claimed.length === 0) return report;
    lease = holdLease(pool, OUTBOX, token, {
      leaseMs: o.leaseMs,
      clock,
      onError: (error) => console.error("[worker] could not renew the lease", error),
    });
    const queue = [...claimed];
    const sendNext = async (): Promise<void> => {
      const row = queue.shift();
      if (!row) return;
      try {
        const email = compose(row, appUrl);
        await mailer.send({ id: row.id, to: row.email, ...email });
        await settleLeased(pool, OUTBOX, {
          id: row.id,
          token,
          set: "status = 'SENT', sent_at = $3, last_error = NULL",
          values: [clock()],
        });
        report.sent += 1;
      } catch (error) {
        const final = isPermanent(error) || row.attempts >= o.maxAttempts;
        const at = clock();
        await settleLeased(pool, OUTBOX, {
          id: row.id,
          token,
          set: `status = $3::"NotificationStatus", next_attempt_at = $4, last_error = $5`,
          values: [
            final ? "FAILED" : "PENDING",
            new Date(at.getTime() + (final ? 0 : retryDelayMs(row.attempts, o.baseDelayMs, o.maxDelayMs))),
            (error instanceof Error ? error.message : String(error)).slice(0, 1000),
          ],
        });
        if (final) report.failed += 1;
        else report.retrying += 1;
      }
      return sendNext();
    };
    await Promise.all(Array.from({ length: Math.min(o.concurrency, claimed.length) }, sendNext));
    return report;
  } finally {
    lease?.stop();
    ownMailer?.close();
  }
}

/** Sends until nothing is due now (retries scheduled later are left for later). */
export async function drainQueue(options: WorkerOptions = {}, maxBatches = 10_000): Promise<BatchReport> {
  const total: BatchReport = { claimed: 0, sent: 0, retrying: 0, failed: 0 };
  const mailer = options.mailer ?? createMailer();
  try {
    for (let i = 0; i < maxBatches; i += 1) {
      const report = await runWorkerOnce({ ...options, mailer });
      for (const key of Object.keys(total) as (keyof BatchReport)[]) total[key] += report[key];
      if (report.claimed === 0) break;
    }
    return total;
  } finally {
    if (!options.mailer) mailer.close();
  }
}

/**
 * The long-running worker (`npm start` runs it in-process, `npm run worker`
 * alone). Polls while idle, keeps going while there is work, and stops
 * between batches when the signal aborts.
 */
export async function runWorkerLoop({
  signal,
  idleMs = 2_000,
  errorBackoffMs = 10_000,
  log = console,
  ...options
}: WorkerOptions & {
  signal: AbortSignal;
  idleMs?: number;
  errorBackoffMs?: number;
  log?: Pick<Console, "info" | "error">;
}) {
  const mailer = options.mailer ?? createMailer();
  log.info(
    `[worker] notification worker started (${mailer.kind === "smtp" ? "SMTP" : `.eml files in ${env.MAIL_DIR}`})`,
  );
  try {
    while (!signal.aborted) {
      try {
        const report = await runWorkerOnce({ ...options, mailer });
        if (report.claimed > 0) {
          log.info(`[worker] sent ${report.sent}, retrying ${report.retrying}, failed ${report.failed}`);
          continue;
        }
        await sleep(idleMs, signal);
      } catch (error) {
        // An outage is logged once for the whole process, not per batch.
        if (isDatabaseUnavailable(error)) reportDatabaseOutage("notification worker", error);
        else log.error("[worker] batch failed; retrying later", error);
        await sleep(errorBackoffMs, signal);
      }
    }
  } finally {
    if (!options.mailer) mailer.close();
    log.info("[worker] stopped");
  }
}
