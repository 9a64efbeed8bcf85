// What a consent token says (docs/tokens.md). Pure.
import type { SubjectStatusOut } from "@/lib/service-api/schemas";

/** The JWS `typ` header (RFC 8725 §3.11): a consent token is not any other JWT. */
export const CONSENT_TOKEN_TYPE = "consent+jwt";
export const DEFAULT_TOKEN_TTL_SECONDS = 300;
export const MIN_TOKEN_TTL_SECONDS = 30;

export interface ConsentTokenClaims {
  /** Format version of these claims. */
  ver: 1;
  agreement: {
    accepted: number | null;
    inEffect: number | null;
    reconsent: SubjectStatusOut["agreement"]["reconsent"];
  };
  /** Each purpose's effective consent: may the service process for it? */
  purposes: Record<string, SubjectStatusOut["purposes"][number]["consent"]>;
  /** The subject's ledger position the token reflects. */
  seq: number;
  [claim: string]: unknown;
}

export function consentTokenClaims(status: SubjectStatusOut): ConsentTokenClaims {
  return {
    ver: 1,
    agreement: {
      accepted: status.agreement.acceptedVersion,
      inEffect: status.agreement.inEffectVersion,
      reconsent: status.agreement.reconsent,
    },
    purposes: Object.fromEntries(status.purposes.map((purpose) => [purpose.key, purpose.consent])),
    seq: status.seq,
  };
}
