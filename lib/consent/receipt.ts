// A consent receipt per ledger event: the Kantara Initiative Consent Receipt
// v1.1 fields with the ISO/IEC TS 27560 additions, the ledger evidence that
// lets anyone re-check the event (docs/ledger.md §3), the log's proof that the
// event is in the log (§12), and a JWS signature over all of it (§15). Pure:
// the caller supplies the proof and signs.
import { LEDGER_FORMAT_VERSION } from "@/lib/ledger/event-hash";
import type { ReceiptProfile } from "@/lib/consent/receipt-profile";

export const RECEIPT_VERSION = "KI-CR-v1.1.0";

/** What a receipt of a pruned event says about its evidence. */
const PRUNED_EVIDENCE = {
  removed: ["ipTruncated", "userAgent", "locale"],
  pseudonymised: "idempotencyKey (pruned: + SHA-256 of the original key)",
  hashCheck:
    "The hash can no longer be recomputed from these fields: it is the hash stored when the event was recorded. Verify it through the log: log.leafHash = SHA-256(0x00 || hash), and log.proof leads from it to the signed checkpoint's root (RFC 9162). A receipt issued before pruning still holds the full fields.",
} as const;

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
  signature: string | null;
  keyId: string | null;
  /** When the event's personal fields were pruned (docs/ledger.md §12), or null. */
  prunedAt: Date | null;
}

/** The event's place in the log (public-log.ts getInclusionProof). */
export interface ReceiptLogProof {
  leafIndex: number;
  treeSize: number;
  leafHash: string;
  proof: string[];
  checkpoint: string;
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

function receiptPurpose(purpose: ReceiptPurpose, event: ReceiptEvent, profile: ReceiptProfile) {
  const thirdParty = purpose.key === "third-party-sharing";
  const gpc = event.method === "GPC";
  return {
    purpose: purpose.name,
    purposeKey: purpose.key,
    purposeDescription: purpose.description,
    purposeCategory: purpose.dpvTerm ? [purpose.dpvTerm] : [],
    // A click or an API call is an explicit choice for this purpose; a Global
    // Privacy Control withdrawal is a general opt-out preference the user's
    // browser expressed for them, not a choice made for this purpose.
    consentType: gpc ? "EXPRESSED_BY_SIGNAL" : "EXPLICIT",
    consentTypeDpv: gpc ? "dpv:ExpressedConsent" : "dpv:ExplicitlyExpressedConsent",
    ...(gpc ? { signal: "Global Privacy Control (Sec-GPC: 1)" } : {}),
    legalBasis: purpose.basic ? "dpv:Contract" : "dpv:Consent",
    piiCategory: [profile.sensitivePurposes[purpose.key] ?? "Information listed in agreement §1.2"],
    piiCategoryCodes: profile.piiCategories[purpose.key] ?? profile.piiCategories.default ?? [],
    primaryPurpose: purpose.basic,
    termination: purpose.basic
      ? "Needed to provide the service: ends when you deregister your account (agreement §6.5)."
      : "Withdraw at any time in the preference centre (/account/consent) or with the API; it takes effect at once (agreement §6.5).",
    retentionPeriod: profile.retentionPeriod,
    thirdPartyDisclosure: thirdParty,
    ...(thirdParty ? { thirdPartyName: "Third parties named when you are asked (agreement §5.1)" } : {}),
  };
}

export interface ReceiptInput {
  event: ReceiptEvent;
  version: ReceiptVersion | null;
  appUrl: string;
  profile: ReceiptProfile;
  /** The event's inclusion proof against a signed checkpoint; null if the log could not give one. */
  log: (ReceiptLogProof & { origin: string; verifierKey: string }) | null;
}

/** The receipt without its signature: what the JWS signs, as RFC 8785 canonical JSON. */
export function buildConsentReceipt({ event, version, appUrl, profile, log }: ReceiptInput) {
  const purposes = (version?.purposes ?? []).filter((purpose) =>
    event.purposeKey
      ? purpose.key === event.purposeKey
      : event.action === "AGREEMENT_ACCEPTED" && purpose.basic,
  );
  const sensitive = purposes.filter((purpose) => purpose.key in profile.sensitivePurposes);
  return {
    version: RECEIPT_VERSION,
    recordStandard: "ISO/IEC TS 27560:2023 consent record, Kantara Consent Receipt v1.1 fields",
    jurisdiction: profile.jurisdiction,
    consentTimestamp: Math.floor(event.recordedAt.getTime() / 1000),
    consentTimestampIso: event.recordedAt.toISOString(),
    collectionMethod: COLLECTION_METHODS[event.method] ?? event.method,
    consentReceiptID: event.id,
    language: event.locale ?? "en",
    piiPrincipalId: event.subjectId,
    // Object.assign, not `{ ...controller, piiControllerUrl }`: on Node 20's V8 a
    // literal that starts with a spread and adds a member gets a new hidden
    // class per object, and the data export builds 100,000 of these
    // (docs/benchmarks.md, "People's rights").
    piiControllers: [Object.assign({}, profile.controller, { piiControllerUrl: appUrl })],
    policyUrl: `${appUrl}/agreement`,
    agreement: {
      title: version?.title ?? null,
      versionNumber: event.versionNumber,
      versionId: event.versionId,
    },
    consentStatus: STATUS[event.action] ?? event.action.toLowerCase(),
    services: [
      { service: profile.serviceName, purposes: purposes.map((p) => receiptPurpose(p, event, profile)) },
    ],
    retentionPeriod: profile.retentionPeriod,
    crossBorderTransfer: profile.crossBorderTransfer,
    sensitive: sensitive.length > 0,
    spiCat: sensitive.map((purpose) => profile.sensitivePurposes[purpose.key] ?? purpose.name),
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
      // The log key's signature on the event's content (docs/ledger.md §11).
      signature: event.signature,
      keyId: event.keyId,
      // A pruned event (retention, erasure; docs/ledger.md §12) keeps its hash, its
      // links and its leaf, but its personal fields are gone: the hash is the one
      // stored, and what proves the event is its leaf in the signed log (`log`).
      status: event.prunedAt ? ("pruned" as const) : ("complete" as const),
      prunedAt: event.prunedAt?.toISOString() ?? null,
      ...(event.prunedAt ? { pruned: PRUNED_EVIDENCE } : {}),
    },
    log,
  };
}

export type UnsignedConsentReceipt = ReturnType<typeof buildConsentReceipt>;
export type ConsentReceipt = UnsignedConsentReceipt & {
  /** Detached compact JWS (EdDSA, kid) over the RFC 8785 canonical JSON of every other member. */
  signature: string;
};
