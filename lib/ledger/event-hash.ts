// The ledger's hash format (docs/ledger.md). Pure, so the offline verifier and
// the unit tests use exactly the code the server uses.
import { createHash } from "node:crypto";
import canonicalize from "canonicalize";

export const GENESIS_HASH = "0".repeat(64);
export const LEDGER_FORMAT_VERSION = 1;

/** The fields an event's hash covers, in their canonical JSON form. */
export interface HashedEventFields {
  id: string;
  subjectId: string;
  seq: number;
  action: string;
  versionId: string;
  versionNumber: number;
  purposeKey: string | null;
  noticeSha256: string;
  method: string;
  /** ISO 8601 UTC with milliseconds, e.g. 2026-11-29T10:00:00.000Z */
  recordedAt: string;
  ipTruncated: string | null;
  userAgent: string | null;
  locale: string | null;
  idempotencyKey: string;
  prevHash: string;
}

export function sha256Hex(data: string | Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}

/** RFC 8785 canonical JSON of the hashed fields, with the format version. */
export function canonicalEvent(fields: HashedEventFields): string {
  const { id, subjectId, seq, action, versionId, versionNumber, purposeKey, noticeSha256, method } = fields;
  const { recordedAt, ipTruncated, userAgent, locale, idempotencyKey, prevHash } = fields;
  const text = canonicalize({
    v: LEDGER_FORMAT_VERSION,
    id,
    subjectId,
    seq,
    action,
    versionId,
    versionNumber,
    purposeKey,
    noticeSha256,
    method,
    recordedAt,
    ipTruncated,
    userAgent,
    locale,
    idempotencyKey,
    prevHash,
  });
  if (text === undefined) throw new Error("event cannot be canonicalised");
  return text;
}

export function eventHash(fields: HashedEventFields): string {
  return sha256Hex(canonicalEvent(fields));
}

/** What an event says before the ledger places it: every hashed field but `seq` and `prevHash`. */
export type EventContent = Omit<HashedEventFields, "seq" | "prevHash">;

/** RFC 8785 canonical JSON of an event's content (with `v`): what the log key signs (docs/ledger.md §11). */
export function canonicalContent(fields: EventContent): string {
  const { id, subjectId, action, versionId, versionNumber, purposeKey, noticeSha256, method } = fields;
  const { recordedAt, ipTruncated, userAgent, locale, idempotencyKey } = fields;
  const text = canonicalize({
    v: LEDGER_FORMAT_VERSION,
    id,
    subjectId,
    action,
    versionId,
    versionNumber,
    purposeKey,
    noticeSha256,
    method,
    recordedAt,
    ipTruncated,
    userAgent,
    locale,
    idempotencyKey,
  });
  if (text === undefined) throw new Error("event cannot be canonicalised");
  return text;
}
