// Check consent offline: verify a consent token against Accord's published
// keys (JWKS) with jose, without calling Accord for each decision
// (docs/tokens.md, docs/integration.md "Tokens").
//
//   ACCORD_URL=http://localhost:3000 ACCORD_API_KEY=acc_… npx tsx examples/tokens/verify-offline.ts user-8731
//
// A service usually gets a token once (or receives one with the user's
// request) and verifies it many times until it expires.
import { createRemoteJWKSet, jwtVerify, type JWTPayload } from "jose";
import { accordClient } from "../api/client";

const baseUrl = (process.env.ACCORD_URL ?? "http://localhost:3000").replace(/\/+$/, "");
const apiKey = process.env.ACCORD_API_KEY;
const subjectId = process.argv[2] ?? "user-8731";
if (!apiKey) throw new Error("Set ACCORD_API_KEY (a key with status:read).");

// Fetched once and cached by jose; refetched when a token names a key it has not seen.
const keys = createRemoteJWKSet(new URL(`${baseUrl}/.well-known/jwks.json`));

interface ConsentClaims extends JWTPayload {
  ver: 1;
  agreement: { accepted: number | null; inEffect: number | null; reconsent: string };
  purposes: Record<string, "required" | "granted" | "not-granted" | "needs-fresh-consent">;
  seq: number;
}

/** May we process this user's data for `purpose`? Refuses tokens that are expired, altered or not consent tokens. */
async function mayProcess(token: string, purpose: string): Promise<boolean> {
  const { payload } = await jwtVerify<ConsentClaims>(token, keys, {
    issuer: baseUrl,
    audience: "recommender",
    typ: "consent+jwt",
    algorithms: ["EdDSA"],
  });
  const consent = payload.purposes[purpose];
  return consent === "granted" || consent === "required";
}

const { token, expiresAt } = await accordClient(baseUrl, apiKey).token(subjectId, {
  audience: "recommender",
  ttlSeconds: 300,
});
console.log(`token for ${subjectId}, valid until ${expiresAt}`);
for (const purpose of ["service", "personalisation", "third-party-sharing"])
  console.log(`  ${purpose}: ${(await mayProcess(token, purpose)) ? "yes" : "no"}`);

const tampered = token.slice(0, -4) + (token.endsWith("AAAA") ? "BBBB" : "AAAA");
await mayProcess(tampered, "service").then(
  () => console.log("  tampered token accepted?!"),
  (error: Error) => console.log(`  tampered token refused: ${error.name}`),
);
