import "server-only";
import { pool } from "@/lib/db";
import { env } from "@/lib/env";
import { now } from "@/lib/clock";
import { buildConsentReceipt, type ReceiptEvent } from "@/lib/consent/receipt";
import { receiptProfile } from "@/lib/consent/receipt-profile";
import { logSigner } from "@/lib/ledger/log/signing-key";
import { receiptSigner } from "@/lib/ledger/receipt-jws";
import { collectSubjectData, findAccount, receiptVersions, type Account } from "@/lib/data-export/collect";
import { htmlEvent, htmlFooter, htmlHead, htmlSections, type Translate } from "@/lib/data-export/html";

/** The archive's format (docs/rights.md, "Download my data"). */
export const PERSONAL_DATA_FORMAT = "accord-personal-data";
export const PERSONAL_DATA_FORMAT_VERSION = 1;

export type PersonalDataOptions = { format: "json" } | { format: "html"; t: Translate };

/**
 * Events read per query: about 190 KB of JSON once written with their
 * receipts. Small enough that a batch is read, signed and written within one
 * of V8's scavenges (about 3.5 MB allocated against a 16 MB young generation).
 * A batch of 250 took about 17 MB, longer than the interval between two
 * scavenges, so its rows were always copied once and often promoted, to stay
 * in the old space until a full collection (docs/benchmarks.md, "People's
 * rights"). 2,000 queries for 100,000 events.
 */
export const EXPORT_BATCH = 50;

/**
 * The events are written in chunks of about 48 KiB (a dozen events with their
 * receipts), not one per event nor one per batch: a chunk is a string and a
 * byte array that die young, while a batch-sized one (0.9 MB) lives in V8's
 * large-object space, and the strings of a whole batch are still alive at the
 * next scavenge and get promoted, until a full collection (docs/benchmarks.md).
 */
export const CHUNK_CHARS = 48 * 1024;

/** Bytes the body may hold ahead of the reader: the next chunk is made only once the last is taken. */
const QUEUE_BYTES = CHUNK_CHARS;

// A keyset cursor: each batch is one indexed query on (subject_id, seq) for
// the next EXPORT_BATCH events after the last one written, up to the last
// event the subject had when the export began. No connection is held between
// batches (a slow reader does not keep one from the pool), and nothing of a
// batch outlives it. Raw SQL for the row's shape; the row is typed.
const EVENTS_SQL = `SELECT id::text AS "id", subject_id::text AS "subjectId", seq, action::text AS "action",
  method::text AS "method", version_id::text AS "versionId", version_number AS "versionNumber",
  purpose_key AS "purposeKey", notice_sha256 AS "noticeSha256", recorded_at AS "recordedAt", locale,
  ip_truncated AS "ipTruncated", user_agent AS "userAgent", idempotency_key AS "idempotencyKey",
  prev_hash AS "prevHash", hash, signature, key_id AS "keyId", pruned_at AS "prunedAt"
  FROM consent_events WHERE subject_id = $1::uuid AND seq > $2 AND seq <= $3 ORDER BY seq LIMIT ${EXPORT_BATCH}`;

const LAST_SEQ_SQL = `SELECT coalesce(max(seq), 0) AS "lastSeq" FROM consent_events WHERE subject_id = $1::uuid`;

/**
 * The events the export covers: those the subject had when it began, read
 * before the versions they name, so that every event written finds its
 * version in the map (an event recorded during the download is not part of
 * this export, as with a single snapshot query).
 */
async function eventsScope(subjectId: string) {
  const { rows } = await pool.query<{ lastSeq: number }>(LAST_SEQ_SQL, [subjectId]);
  return { lastSeq: rows[0]?.lastSeq ?? 0, versions: await receiptVersions(subjectId) };
}

/**
 * Yields the subject's data as text chunks: the document's head at once (the
 * first byte waits for nothing but the account), then everything but the
 * events, then the consent events with their signed receipts, one chunk per
 * batch of EXPORT_BATCH, as the reader takes them.
 */
async function* chunks(account: Account, options: PersonalDataOptions): AsyncGenerator<string> {
  const subjectId = account.id;
  const generatedAt = now();
  if (options.format === "json") {
    const head = {
      format: PERSONAL_DATA_FORMAT,
      formatVersion: PERSONAL_DATA_FORMAT_VERSION,
      generatedAt: generatedAt.toISOString(),
    };
    yield JSON.stringify(head).slice(0, -1);
  } else {
    yield htmlHead(options.t, generatedAt);
  }
  // Everything after the head: the sections' queries and the events' scope together.
  const [data, { lastSeq, versions }] = await Promise.all([
    collectSubjectData(account),
    eventsScope(subjectId),
  ]);
  yield options.format === "json"
    ? `,${JSON.stringify(data).slice(1, -1)},"consentEvents":[`
    : htmlSections(options.t, data);

  const signer = logSigner();
  const sign = receiptSigner(signer.privateKey, signer.keyId);
  const profile = receiptProfile();
  const appUrl = env.APP_URL;
  let count = 0;
  let text = "";
  for (let after = 0; after < lastSeq;) {
    const { rows } = await pool.query<ReceiptEvent>(EVENTS_SQL, [subjectId, after, lastSeq]);
    if (!rows.length) break; // nothing left up to lastSeq (events removed meanwhile)
    for (const event of rows) {
      const receiptUrl = `/api/v1/me/receipts/${event.id}`;
      const version = versions.get(event.versionId) ?? null;
      if (options.format === "json") {
        const receipt = sign(buildConsentReceipt({ event, version, appUrl, profile, log: null }));
        // Object.assign rather than `{ ...event, receiptUrl, receipt }`, here as
        // in the receipt and its signer: on Node 20's V8 that spread gives each
        // object its own hidden class, and those (one per event) outlived the
        // scavenges and filled the old space (docs/benchmarks.md). Same members,
        // same order, same bytes.
        text += `${count ? "," : ""}${JSON.stringify(Object.assign({}, event, { receiptUrl, receipt }))}`;
      } else {
        text += htmlEvent(options.t, event, version, receiptUrl);
      }
      count += 1;
      if (text.length >= CHUNK_CHARS) {
        yield text;
        text = "";
      }
    }
    after = rows[rows.length - 1]!.seq;
  }
  yield `${text}${options.format === "json" ? `],"consentEventCount":${count}}` : htmlFooter(options.t, count)}`;
}

/**
 * The subject's data as a response body that is generated while it is read,
 * or null when the subject does not exist. Pull-based with a byte-counted
 * queue: the next batch is read from the database and signed only when the
 * reader has taken what was queued (QUEUE_BYTES), so at most about one batch
 * waits in memory however slow the reader is.
 */
export async function streamPersonalData(
  subjectId: string,
  options: PersonalDataOptions,
): Promise<ReadableStream<Uint8Array> | null> {
  const account = await findAccount(subjectId);
  if (!account) return null;
  const source = chunks(account, options);
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          const next = await source.next();
          if (next.done) controller.close();
          else controller.enqueue(encoder.encode(next.value));
        } catch (error) {
          controller.error(error);
        }
      },
      async cancel() {
        // The client went away: return() ends the generator before its next query.
        await source.return(undefined);
      },
    },
    new ByteLengthQueuingStrategy({ highWaterMark: QUEUE_BYTES }),
  );
}

export function personalDataFilename(format: "json" | "html", at = now()): string {
  return `my-data-${at.toISOString().slice(0, 10)}.${format}`;
}
