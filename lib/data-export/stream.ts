import "server-only";
import QueryStream from "pg-query-stream";
import { pool } from "@/lib/db";
import { env } from "@/lib/env";
import { now } from "@/lib/clock";
import { buildConsentReceipt, type ReceiptEvent } from "@/lib/consent/receipt";
import { receiptProfile } from "@/lib/consent/receipt-profile";
import { logSigner } from "@/lib/ledger/log/signing-key";
import { signReceipt } from "@/lib/ledger/receipt-jws";
import { collectSubjectData, findAccount, receiptVersions, type Account } from "@/lib/data-export/collect";
import { htmlEvent, htmlFooter, htmlHead, htmlSections, type Translate } from "@/lib/data-export/html";

/** The archive's format (docs/rights.md, "Download my data"). */
export const PERSONAL_DATA_FORMAT = "accord-personal-data";
export const PERSONAL_DATA_FORMAT_VERSION = 1;

export type PersonalDataOptions = { format: "json" } | { format: "html"; t: Translate };

// Streamed with pg-query-stream through a cursor: a subject with 100,000
// events is read 500 rows at a time as the client consumes the response, so
// memory stays flat. Raw SQL because Prisma cannot stream; the row is typed.
const EVENTS_SQL = `SELECT id::text AS "id", subject_id::text AS "subjectId", seq, action::text AS "action",
  method::text AS "method", version_id::text AS "versionId", version_number AS "versionNumber",
  purpose_key AS "purposeKey", notice_sha256 AS "noticeSha256", recorded_at AS "recordedAt", locale,
  ip_truncated AS "ipTruncated", user_agent AS "userAgent", idempotency_key AS "idempotencyKey",
  prev_hash AS "prevHash", hash, signature, key_id AS "keyId", pruned_at AS "prunedAt"
  FROM consent_events WHERE subject_id = $1::uuid ORDER BY seq`;

const BATCH = 500;

/**
 * Yields the subject's data as text chunks: the document's head at once (the
 * first byte waits for nothing but the account), then everything but the
 * events, then each consent event with its signed receipt, as they stream
 * from the database.
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
    const rest = JSON.stringify(await collectSubjectData(account));
    yield `,${rest.slice(1, -1)},"consentEvents":[`;
  } else {
    yield htmlHead(options.t, generatedAt);
    yield htmlSections(options.t, await collectSubjectData(account));
  }
  const versions = await receiptVersions(subjectId);
  const signer = logSigner();
  const profile = receiptProfile();
  const client = await pool.connect();
  let count = 0;
  try {
    const rows = client.query(new QueryStream(EVENTS_SQL, [subjectId], { batchSize: BATCH }));
    for await (const event of rows as AsyncIterable<ReceiptEvent>) {
      const receiptUrl = `/api/v1/me/receipts/${event.id}`;
      if (options.format === "json") {
        const version = versions.get(event.versionId) ?? null;
        const receipt = await signReceipt(
          buildConsentReceipt({ event, version, appUrl: env.APP_URL, profile, log: null }),
          signer.privateKey,
          signer.keyId,
        );
        yield `${count ? "," : ""}${JSON.stringify({ ...event, receiptUrl, receipt })}`;
      } else {
        yield htmlEvent(options.t, event, versions.get(event.versionId) ?? null, receiptUrl);
      }
      count += 1;
    }
  } finally {
    client.release();
  }
  yield options.format === "json" ? `],"consentEventCount":${count}}` : htmlFooter(options.t, count);
}

/**
 * The subject's data as a response body that is generated while it is read
 * (pull-based: nothing is produced faster than the client takes it), or null
 * when the subject does not exist.
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
        // The client went away: return() runs the generator's finally, releasing the connection.
        await source.return(undefined);
      },
    },
    { highWaterMark: 16 },
  );
}

export function personalDataFilename(format: "json" | "html", at = now()): string {
  return `my-data-${at.toISOString().slice(0, 10)}.${format}`;
}
