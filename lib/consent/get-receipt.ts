import "server-only";
import { env } from "@/lib/env";
import { getOwnEventForReceipt } from "@/lib/consent/history";
import { buildConsentReceipt, type ConsentReceipt } from "@/lib/consent/receipt";
import { receiptProfile } from "@/lib/consent/receipt-profile";
import { formatVerifierKey } from "@/lib/ledger/note";
import { provenInclusion } from "@/lib/ledger/log/public-log";
import { logSigner } from "@/lib/ledger/log/signing-key";
import { signReceipt } from "@/lib/ledger/receipt-jws";

/**
 * The signed receipt of one of the subject's own events, with the event's
 * inclusion proof against a signed checkpoint (the sequencer runs first if
 * the event is not yet under one); null for anything else, another user's
 * event included.
 */
export async function getConsentReceipt(subjectId: string, eventId: string): Promise<ConsentReceipt | null> {
  const source = await getOwnEventForReceipt(subjectId, eventId);
  if (!source) return null;
  const signer = logSigner();
  const inclusion = await provenInclusion(eventId);
  const receipt = buildConsentReceipt({
    event: source.event,
    version: source.version,
    appUrl: env.APP_URL,
    profile: receiptProfile(),
    log: inclusion
      ? {
          origin: signer.name,
          verifierKey: formatVerifierKey(signer),
          leafIndex: inclusion.leafIndex,
          treeSize: inclusion.treeSize,
          leafHash: inclusion.leafHash,
          proof: inclusion.proof,
          checkpoint: inclusion.checkpoint,
        }
      : null,
  });
  return signReceipt(receipt, signer.privateKey, signer.keyId);
}
