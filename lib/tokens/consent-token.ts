import "server-only";
import { randomUUID } from "node:crypto";
import { SignJWT } from "jose";
import { env } from "@/lib/env";
import { now } from "@/lib/clock";
import { currentSigningKey, TOKEN_ALG } from "@/lib/tokens/signing-keys";
import { consentTokenClaims, CONSENT_TOKEN_TYPE } from "@/lib/tokens/claims";
import type { SubjectStatusOut } from "@/lib/service-api/schemas";

export interface IssuedToken {
  token: string;
  tokenType: typeof CONSENT_TOKEN_TYPE;
  expiresAt: string;
  kid: string;
}

/** Signs a consent token stating `status` (docs/tokens.md). */
export async function issueConsentToken(
  status: SubjectStatusOut,
  options: { ttlSeconds: number; audience?: string | undefined; at?: Date },
): Promise<IssuedToken> {
  const at = options.at ?? now();
  const { kid, key } = await currentSigningKey(at);
  const iat = Math.floor(at.getTime() / 1000);
  const exp = iat + options.ttlSeconds;
  const jwt = new SignJWT(consentTokenClaims(status))
    .setProtectedHeader({ alg: TOKEN_ALG, kid, typ: CONSENT_TOKEN_TYPE })
    .setIssuer(env.APP_URL.replace(/\/+$/, ""))
    .setSubject(status.subjectId)
    .setIssuedAt(iat)
    .setExpirationTime(exp)
    .setJti(randomUUID());
  if (options.audience) jwt.setAudience(options.audience);
  return {
    token: await jwt.sign(key),
    tokenType: CONSENT_TOKEN_TYPE,
    expiresAt: new Date(exp * 1000).toISOString(),
    kid,
  };
}
