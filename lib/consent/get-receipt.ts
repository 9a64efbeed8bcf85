import "server-only";
import { env } from "@/lib/env";
import { getOwnEventForReceipt } from "@/lib/consent/history";
import { buildConsentReceipt, type ConsentReceipt } from "@/lib/consent/receipt";

/** The receipt of one of the subject's own events; null for anything else (another user's included). */
export async function getConsentReceipt(subjectId: string, eventId: string): Promise<ConsentReceipt | null> {
  const source = await getOwnEventForReceipt(subjectId, eventId);
  if (!source) return null;
  return buildConsentReceipt(source.event, source.version, env.APP_URL);
}
