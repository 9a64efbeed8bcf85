import "server-only";
import { randomUUID } from "node:crypto";
import { pool } from "@/lib/db";
import { now } from "@/lib/clock";
import { signEventContent } from "@/lib/ledger/event-signature";
import { logSigner } from "@/lib/ledger/log/signing-key";
import type { ConsentAction, ConsentMethod } from "@/lib/generated/prisma/enums";

export interface AppendEventInput {
  subjectId: string;
  action: ConsentAction;
  versionId: string;
  versionNumber: number;
  purposeKey: string | null;
  noticeSha256: string;
  method: ConsentMethod;
  ipTruncated: string | null;
  userAgent: string | null;
  locale: string | null;
  idempotencyKey: string;
  /**
   * In the same transaction, mark the subject's Global Privacy Control signal
   * as applied now ("set") or as no longer known to be on ("clear"), see gpc.ts.
   */
  gpc?: "set" | "clear";
}

export interface AppendedEvent {
  id: string;
  seq: number;
  hash: string;
  prevHash: string;
  recordedAt: Date;
  /** True when an event with this idempotency key already existed: nothing new was written. */
  replayed: boolean;
  /** The stored event's fields (differ from the input only on a replay of another request). */
  action: ConsentAction;
  purposeKey: string | null;
  method: ConsentMethod;
  versionNumber: number;
}

interface Row {
  kind: "new" | "prior";
  id: string;
  seq: number;
  hash: string;
  prev_hash: string;
  recorded_at: Date;
  action: ConsentAction;
  purpose_key: string | null;
  method: ConsentMethod;
  version_number: number;
}

// The append path of the ledger (docs/ledger.md §4): one call of the SECURITY
// DEFINER function, which computes seq, prevHash and the hash itself, under
// the subject's head lock. The runtime role can write the ledger no other way
// (prisma/grants.ts). Sent on the pool Prisma shares, as a named prepared
// statement: it is the hot path (docs/benchmarks.md).
const APPEND_SQL = `SELECT * FROM accord_append_consent_event($1::uuid, $2::uuid, $3::"ConsentAction", $4::uuid,
  $5::int, $6, $7, $8::"ConsentMethod", $9::timestamptz, $10, $11, $12, $13, $14, $15, $16)`;

/**
 * Appends one event to the subject's chain and updates the projection in the
 * same transaction. The subject's head row is the only lock: appends for one
 * subject serialise, appends for different subjects never wait on each other.
 * The event's content is signed with the log key first (the app's promise
 * that it is genuine; the sequencer gives leaves only to signed events).
 * An idempotency key already used by the subject writes nothing and returns
 * the stored event with `replayed: true`.
 */
export async function appendConsentEvent(input: AppendEventInput): Promise<AppendedEvent> {
  const recordedAt = now();
  // Sent as the same ISO text that is signed (and cheaper for pg than a Date).
  const recordedIso = recordedAt.toISOString();
  const id = randomUUID();
  const signer = logSigner();
  const signature = signEventContent(
    {
      id,
      subjectId: input.subjectId,
      action: input.action,
      versionId: input.versionId,
      versionNumber: input.versionNumber,
      purposeKey: input.purposeKey,
      noticeSha256: input.noticeSha256,
      method: input.method,
      recordedAt: recordedIso,
      ipTruncated: input.ipTruncated,
      userAgent: input.userAgent,
      locale: input.locale,
      idempotencyKey: input.idempotencyKey,
    },
    signer,
  );
  const { rows } = await pool.query<Row>({
    name: "consent-append-v3",
    text: APPEND_SQL,
    values: [
      id,
      input.subjectId,
      input.action,
      input.versionId,
      input.versionNumber,
      input.purposeKey,
      input.noticeSha256,
      input.method,
      recordedIso,
      input.ipTruncated,
      input.userAgent,
      input.locale,
      input.idempotencyKey,
      signature,
      signer.keyId,
      input.gpc ?? null,
    ],
  });
  const row = rows[0];
  if (!row) throw new Error("consent ledger: append wrote nothing and found no prior event");
  return {
    id: row.id,
    seq: row.seq,
    hash: row.hash,
    prevHash: row.prev_hash,
    recordedAt: row.recorded_at,
    replayed: row.kind === "prior",
    action: row.action,
    purposeKey: row.purpose_key,
    method: row.method,
    versionNumber: row.version_number,
  };
}
