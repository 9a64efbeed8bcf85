import "server-only";
import { hkdfSync, randomUUID } from "node:crypto";
import { SignJWT, jwtVerify, errors } from "jose";
import { env } from "@/lib/env";
import type { HostedFlow } from "@/lib/hosted/schemas";

// A hosted link's token: an HS256 JWT (jose) under a key derived from the
// app's secret, so only Accord can make one and any change to it (subject,
// flow, return URL, expiry) breaks the signature.
const ISSUER = "accord";
const AUDIENCE = "accord-hosted-flow";

export interface HostedLinkClaims {
  jti: string;
  /** The service's id for its user. */
  externalId: string;
  /** The API key that asked for the link. */
  apiKeyId: string;
  flow: HostedFlow;
  returnUrl: string;
  state: string | null;
  expiresAt: Date;
}

let key: Uint8Array | undefined;
function linkKey(): Uint8Array {
  return (key ??= new Uint8Array(
    hkdfSync(
      "sha256",
      Buffer.from(env.SEALING_KEY ?? env.NEXTAUTH_SECRET, "utf8"),
      Buffer.alloc(0),
      "accord/hosted-links/v1",
      32,
    ),
  ));
}

export async function signHostedLink(
  claims: Omit<HostedLinkClaims, "jti" | "expiresAt">,
  at: Date,
  ttlSeconds: number,
): Promise<{ token: string; jti: string; expiresAt: Date }> {
  const jti = randomUUID();
  const issuedAt = Math.floor(at.getTime() / 1000);
  const token = await new SignJWT({
    ext: claims.externalId,
    key: claims.apiKeyId,
    flow: claims.flow,
    ret: claims.returnUrl,
    ...(claims.state ? { state: claims.state } : {}),
  })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setJti(jti)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + ttlSeconds)
    .sign(linkKey());
  return { token, jti, expiresAt: new Date((issuedAt + ttlSeconds) * 1000) };
}

export type LinkCheck = { ok: true; claims: HostedLinkClaims } | { ok: false; reason: "expired" | "invalid" };

/** Verifies a link's token at `at`: signature, issuer, audience, expiry and the claims' shape. */
export async function verifyHostedLink(token: string, at: Date): Promise<LinkCheck> {
  try {
    const { payload } = await jwtVerify(token, linkKey(), {
      issuer: ISSUER,
      audience: AUDIENCE,
      algorithms: ["HS256"],
      currentDate: at,
    });
    const { jti, ext, key: apiKeyId, flow, ret, state, exp } = payload;
    if (
      typeof jti !== "string" ||
      typeof ext !== "string" ||
      typeof apiKeyId !== "string" ||
      (flow !== "reconsent" && flow !== "preferences") ||
      typeof ret !== "string" ||
      typeof exp !== "number"
    )
      return { ok: false, reason: "invalid" };
    return {
      ok: true,
      claims: {
        jti,
        externalId: ext,
        apiKeyId,
        flow,
        returnUrl: ret,
        state: typeof state === "string" ? state : null,
        expiresAt: new Date(exp * 1000),
      },
    };
  } catch (error) {
    return { ok: false, reason: error instanceof errors.JWTExpired ? "expired" : "invalid" };
  }
}
