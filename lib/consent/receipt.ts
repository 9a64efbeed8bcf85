// A consent receipt per ledger event: the Kantara Initiative Consent Receipt
// v1.1 fields (the basis of ISO/IEC TS 27560), plus the ledger evidence that
// lets anyone re-check the event against docs/ledger.md. Pure.
import { LEDGER_FORMAT_VERSION } from "@/lib/ledger/event-hash";

export const RECEIPT_VERSION = "KI-CR-v1.1.0";
export const CONTROLLER = {
  piiController: "Easemob",
  contact: "Easemob customer service",
  address: "Not stated in the agreement; write to support@easemob.com (agreement §8)",
  email: "support@easemob.com",
  phone: "400-612-1986",
} as const;
const SERVICE_NAME = "Easemob IM";
/** Precise location is sensitive personal information under PIPL Art. 28. */
const SENSITIVE_PURPOSES: Record<string, string> = {
  "precise-location": "Precise location (GPS latitude and longitude)",
};

export interface ReceiptEvent {
  id: string;
  subjectId: string;
  seq: number;
  action: string;
  method: string;
  versionId: string;
  versionNumber: number;
  purposeKey: string | null;
  noticeSha256: string;
  recordedAt: Date;
  locale: string | null;
  ipTruncated: string | null;
  userAgent: string | null;
  idempotencyKey: string;
  prevHash: string;
  hash: string;
}

export interface ReceiptPurpose {
  key: string;
  name: string;
  description: string;
  basic: boolean;
  dpvTerm: string | null;
}

export interface ReceiptVersion {
  number: number | null;
  title: string;
  purposes: ReceiptPurpose[];
}

const COLLECTION_METHODS: Record<string, string> = {
  WEB: "Web form: the Accord account pages",
  API: "Accord JSON API (/api/v1/me/consent), authenticated session",
  GPC: "Global Privacy Control signal (Sec-GPC: 1) sent by the user's browser",
  SYSTEM: "Recorded by the service",
};

const STATUS: Record<string, string> = {
  AGREEMENT_ACCEPTED: "accepted",
  AGREEMENT_DECLINED: "declined",
  PURPOSE_GRANTED: "granted",
  PURPOSE_WITHDRAWN: "withdrawn",
  NOTICE_ACKNOWLEDGED: "acknowledged",
};

function receiptPurpose(purpose: ReceiptPurpose) {
  const thirdParty = purpose.key === "third-party-sharing";
  return {
    purpose: purpose.name,
    purposeKey: purpose.key,
    purposeDescription: purpose.description,
    purposeCategory: purpose.dpvTerm ? [purpose.dpvTerm] : [],
    consentType: "EXPLICIT",
    legalBasis: purpose.basic ? "dpv:Contract" : "dpv:Consent",
    piiCategory: [SENSITIVE_PURPOSES[purpose.key] ?? "Information listed in agreement §1.2"],
    primaryPurpose: purpose.basic,
    termination: purpose.basic
      ? "Needed to provide the service: ends when you deregister your account (agreement §6.5)."
      : "Withdraw at any time in the preference centre (/account/consent) or with the API; it takes effect at once (agreement §6.5).",
    thirdPartyDisclosure: thirdParty,
    ...(thirdParty ? { thirdPartyName: "Third parties named when you are asked (agreement §5.1)" } : {}),
  };
}

export function buildConsentReceipt(event: ReceiptEvent, version: ReceiptVersion | null, appUrl: string) {
  const purposes = (version?.purposes ?? []).filter((purpose) =>
    event.purposeKey
      ? purpose.key === event.purposeKey
      : event.action === "AGREEMENT_ACCEPTED" && purpose.basic,
  );
  const sensitive = purposes.filter((purpose) => purpose.key in SENSITIVE_PURPOSES);
  return {
    version: RECEIPT_VERSION,
    recordStandard: "ISO/IEC TS 27560:2023 consent record, Kantara Consent Receipt v1.1 fields",
    jurisdiction: "CN",
    consentTimestamp: Math.floor(event.recordedAt.getTime() / 1000),
    consentTimestampIso: event.recordedAt.toISOString(),
    collectionMethod: COLLECTION_METHODS[event.method] ?? event.method,
    consentReceiptID: event.id,
    language: event.locale ?? "en",
    piiPrincipalId: event.subjectId,
    piiControllers: [{ ...CONTROLLER, piiControllerUrl: appUrl }],
    policyUrl: `${appUrl}/agreement`,
    agreement: {
      title: version?.title ?? null,
      versionNumber: event.versionNumber,
      versionId: event.versionId,
    },
    consentStatus: STATUS[event.action] ?? event.action.toLowerCase(),
    services: [{ service: SERVICE_NAME, purposes: purposes.map(receiptPurpose) }],
    sensitive: sensitive.length > 0,
    spiCat: sensitive.map((purpose) => SENSITIVE_PURPOSES[purpose.key] ?? purpose.name),
    evidence: {
      ledgerFormat: LEDGER_FORMAT_VERSION,
      hashRule: "hash = SHA-256 of the RFC 8785 canonical JSON of the event fields (Accord docs/ledger.md)",
      // Every hashed field, so the holder can recompute `hash` (docs/ledger.md §3).
      eventId: event.id,
      subjectId: event.subjectId,
      seq: event.seq,
      action: event.action,
      versionId: event.versionId,
      versionNumber: event.versionNumber,
      purposeKey: event.purposeKey,
      noticeSha256: event.noticeSha256,
      method: event.method,
      recordedAt: event.recordedAt.toISOString(),
      ipTruncated: event.ipTruncated,
      userAgent: event.userAgent,
      locale: event.locale,
      idempotencyKey: event.idempotencyKey,
      prevHash: event.prevHash,
      hash: event.hash,
    },
  };
}

export type ConsentReceipt = ReturnType<typeof buildConsentReceipt>;
