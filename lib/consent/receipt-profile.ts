// What a consent receipt says about the controller and its processing
// (ISO/IEC TS 27560 fields beyond the Kantara ones). One small function, so
// it can later read organisation settings (lib/settings/, owned by the
// content work) instead of these defaults for the first customer, whose
// agreement (2024-08-01) states them.

export interface ReceiptProfile {
  controller: {
    piiController: string;
    contact: string;
    address: string;
    email: string;
    phone: string;
  };
  serviceName: string;
  jurisdiction: string;
  /** How long the record and the data are kept (agreement §3). */
  retentionPeriod: string;
  crossBorderTransfer: { occurs: boolean; description: string };
  /** Machine-readable PII categories (DPV personal-data terms) per purpose key; `default` for the rest. */
  piiCategories: Record<string, string[]>;
  /** Purposes whose data is sensitive personal information (PIPL Art. 28), with what it is. */
  sensitivePurposes: Record<string, string>;
}

export function receiptProfile(): ReceiptProfile {
  return {
    controller: {
      piiController: "Easemob",
      contact: "Easemob customer service",
      address: "Not stated in the agreement; write to support@easemob.com (agreement §8)",
      email: "support@easemob.com",
      phone: "400-612-1986",
    },
    serviceName: "Easemob IM",
    jurisdiction: "CN",
    retentionPeriod:
      "For as long as needed for the purposes, at most as long as laws require; deleted or anonymised after you deregister (agreement §3)",
    crossBorderTransfer: {
      occurs: false,
      description:
        "Personal information collected in mainland China is stored in mainland China (agreement §3)",
    },
    piiCategories: {
      "precise-location": ["dpv-pd:Location", "dpv-pd:GPSCoordinate"],
      personalisation: ["dpv-pd:UsageHistory", "dpv-pd:DeviceBased"],
      surveys: ["dpv-pd:Contact", "dpv-pd:Opinion"],
      "third-party-sharing": ["dpv-pd:Identifying", "dpv-pd:DeviceBased"],
      default: [
        "dpv-pd:Identifying",
        "dpv-pd:Contact",
        "dpv-pd:DeviceBased",
        "dpv-pd:CommunicationsMetadata",
      ],
    },
    sensitivePurposes: { "precise-location": "Precise location (GPS latitude and longitude)" },
  };
}
