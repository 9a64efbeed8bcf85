import "server-only";
import { pool } from "@/lib/db";
import { now } from "@/lib/clock";
import { governingVersionIdSql } from "@/lib/agreements/governing-version-sql";
import { appendConsentEvent, type AppendEventInput, type AppendedEvent } from "@/lib/ledger/append";
import { GPC_PURPOSE_KEY } from "@/lib/consent/gpc-rule";
import type { ConsentChangeAction } from "@/lib/consent/schemas";
import type { RequestMeta } from "@/lib/http/request-meta";
import { fail, ok, type Result } from "@/lib/result";
import { fieldMessage } from "@/lib/validation/messages";
import { emailConfirmed, unverifiedRefusal } from "@/lib/accounts/verified";

export interface ChangePurposeConsentOptions {
  subjectId: string;
  purposeKey: string;
  action: ConsentChangeAction;
  method: "WEB" | "API" | "APP";
  meta: Pick<RequestMeta, "ipTruncated" | "userAgent" | "locale" | "gpc">;
  /** Namespaced by the caller ("web:…", "api:…"): one key, one event. */
  idempotencyKey: string;
  versionNumber?: number | undefined;
  noticeSha256?: string | undefined;
}

export interface ConsentChange {
  event: {
    id: string;
    seq: number;
    hash: string;
    recordedAt: string;
    action: "PURPOSE_GRANTED" | "PURPOSE_WITHDRAWN";
    method: string;
    purposeKey: string;
    versionNumber: number;
  };
  purpose: { key: string; granted: boolean };
}

/** The subject's current version and the purpose of that version (nulls when absent). */
export interface PurposeChangeTarget {
  version_id: string | null;
  version_number: number | null;
  purpose_version_id: string | null;
  basic: boolean | null;
  notice_sha256: string | null;
  /** The version's own language, for a notice shown in it. */
  version_locale: string | null;
  /** Hash → locale of each published translation of the purpose's notice. */
  translations: Record<string, string> | null;
  /** False when the subject's account has not confirmed its email (it may not consent). */
  email_confirmed?: boolean | null;
}

// One round trip: the subject's current version (the one in effect, or the one
// accepted early: governingVersionIdSql), so a grant is recorded against the
// notice users are shown now, the purpose of that version, and the
// hashes of its notice in every language it is published in (the notice shown
// may be a translation: docs/translations.md).
const TARGET_SQL = `
SELECT v.id::text AS version_id, v.number AS version_number,
  p.version_id::text AS purpose_version_id, p.basic, p.notice_sha256, v.locale AS version_locale,
  (SELECT json_object_agg(pt.notice_sha256, pt.locale) FROM purpose_translations pt
    WHERE pt.purpose_id = p.id AND pt.published_at IS NOT NULL) AS translations,
  (SELECT u.email_verified_at IS NOT NULL FROM users u WHERE u.id = s.subject_id) AS email_confirmed
FROM consent_subjects s
LEFT JOIN agreement_versions v ON v.id = ${governingVersionIdSql("s", "$3::timestamptz")}
LEFT JOIN purposes p ON p.version_id = v.id AND p.key = $2
WHERE s.subject_id = $1::uuid`;

const ACTIONS = { grant: "PURPOSE_GRANTED", withdraw: "PURPOSE_WITHDRAWN" } as const;

/**
 * The ledger append. Always appendConsentEvent in the app; the benchmark's
 * format 1 baseline route (a test-build-only file) passes the old append, so
 * the two routes differ in nothing else (bench/consent-append.ts).
 */
export type AppendFunction = (input: AppendEventInput) => Promise<AppendedEvent>;

function toChange(event: AppendedEvent): ConsentChange {
  const action = event.action === "PURPOSE_GRANTED" ? "PURPOSE_GRANTED" : "PURPOSE_WITHDRAWN";
  const purposeKey = event.purposeKey ?? "";
  return {
    event: {
      id: event.id,
      seq: event.seq,
      hash: event.hash,
      recordedAt: event.recordedAt.toISOString(),
      action,
      method: event.method,
      purposeKey,
      versionNumber: event.versionNumber,
    },
    purpose: { key: purposeKey, granted: action === "PURPOSE_GRANTED" },
  };
}

/**
 * Grants or withdraws one non-basic purpose of the subject's current version
 * (the one in effect, or the one accepted early). Every refusal is decided before anything is written. A repeated
 * idempotency key returns the first response unchanged.
 */
export async function changePurposeConsent(
  options: ChangePurposeConsentOptions,
  append: AppendFunction = appendConsentEvent,
): Promise<Result<ConsentChange & { replayed: boolean }>> {
  const { rows } = await pool.query<PurposeChangeTarget>({
    name: "consent-change-target-v4",
    text: TARGET_SQL,
    values: [options.subjectId, options.purposeKey, now()],
  });
  // Unconfirmed accounts may not consent; without a subject row (nothing
  // accepted yet) the reason is asked for separately, off the hot path.
  const confirmed = rows[0] ? rows[0].email_confirmed !== false : await emailConfirmed(options.subjectId);
  if (!confirmed) return unverifiedRefusal();
  const decided = decidePurposeChange(rows[0], options);
  if (!decided.ok) return decided;
  return recordPurposeChange(decided.data, options, append);
}

/** A purpose change that passed every check: what its event records. */
export interface DecidedPurposeChange {
  versionId: string;
  versionNumber: number;
  /** The notice shown (the authoritative one or a published translation of it). */
  noticeSha256: string;
  /** The language of that notice. */
  locale: string | null;
}

/** The refusals of a purpose change, decided from its target before anything is written. */
export function decidePurposeChange(
  target: PurposeChangeTarget | undefined,
  options: Pick<ChangePurposeConsentOptions, "purposeKey" | "versionNumber" | "noticeSha256">,
): Result<DecidedPurposeChange> {
  if (!target?.version_id || target.version_number === null) {
    return fail(
      409,
      "agreement_not_accepted",
      "Accept the agreement before choosing your consent preferences.",
    );
  }
  if (!target.purpose_version_id || target.notice_sha256 === null) {
    return fail(
      404,
      "unknown_purpose",
      `Version ${target.version_number} of the agreement has no purpose "${options.purposeKey}".`,
      {
        purposeKey: [fieldMessage("unknownPurpose")],
      },
    );
  }
  if (target.basic) {
    return fail(
      422,
      "basic_purpose",
      "This purpose is needed to provide the service: it cannot be withdrawn, only ended by deregistering your account.",
      {
        purposeKey: [fieldMessage("basicPurpose")],
      },
    );
  }
  if (options.versionNumber !== undefined && options.versionNumber !== target.version_number) {
    return fail(
      409,
      "stale_version",
      `You accepted version ${target.version_number}; this request was made for version ${options.versionNumber}. Reload and try again.`,
      {
        versionNumber: [`Expected ${target.version_number}.`],
      },
    );
  }
  // The notice shown: the authoritative one unless the page says it showed a translation.
  const shownNotice = options.noticeSha256 ?? target.notice_sha256;
  const shownLocale =
    shownNotice === target.notice_sha256
      ? target.version_locale
      : (target.translations?.[shownNotice] ?? null);
  if (shownLocale === null) {
    return fail(
      409,
      "stale_notice",
      "The description of this purpose has changed since it was shown. Reload and read it again.",
      {
        noticeSha256: [fieldMessage("noticeChanged")],
      },
    );
  }
  return ok({
    versionId: target.version_id,
    versionNumber: target.version_number,
    noticeSha256: shownNotice,
    locale: shownLocale,
  });
}

/** Appends a decided purpose change; a reused idempotency key returns the first event. */
export async function recordPurposeChange(
  target: DecidedPurposeChange,
  options: ChangePurposeConsentOptions,
  append: AppendFunction = appendConsentEvent,
): Promise<Result<ConsentChange & { replayed: boolean }>> {
  const action = ACTIONS[options.action];
  const event = await append({
    subjectId: options.subjectId,
    action,
    versionId: target.versionId,
    versionNumber: target.versionNumber,
    purposeKey: options.purposeKey,
    noticeSha256: target.noticeSha256,
    method: options.method,
    ipTruncated: options.meta.ipTruncated,
    userAgent: options.meta.userAgent,
    locale: target.locale,
    idempotencyKey: options.idempotencyKey,
    // A grant of sharing made while no GPC signal is present was not made
    // "after being told GPC is on": a later signal applies again (gpc.ts).
    ...(action === "PURPOSE_GRANTED" && options.purposeKey === GPC_PURPOSE_KEY && !options.meta.gpc
      ? { gpc: "clear" as const }
      : {}),
  });
  if (event.replayed && (event.action !== action || event.purposeKey !== options.purposeKey)) {
    return fail(
      409,
      "idempotency_key_reused",
      "This Idempotency-Key was already used for a different request.",
    );
  }
  return ok({ ...toChange(event), replayed: event.replayed });
}
