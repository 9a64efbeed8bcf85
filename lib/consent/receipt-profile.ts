// What a consent receipt says about the controller and its processing
// (ISO/IEC TS 27560 fields beyond the Kantara ones), from the installation's
// organisation settings (lib/settings; config/organisation.json by default).
import { getSettings } from "@/lib/settings";

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
  const settings = getSettings();
  return {
    controller: {
      piiController: settings.organisation.name,
      contact: settings.organisation.contact,
      address: settings.organisation.address,
      email: settings.organisation.email,
      phone: settings.organisation.phone,
    },
    serviceName: settings.serviceName,
    jurisdiction: settings.jurisdiction,
    retentionPeriod: settings.retentionPeriod,
    crossBorderTransfer: settings.crossBorderTransfer,
    piiCategories: settings.piiCategories,
    sensitivePurposes: settings.sensitivePurposes,
  };
}
