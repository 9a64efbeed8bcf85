// Consent tokens as a service sees them: fetched JWKS, verified offline with
// an independent JOSE library (jose) and with Node's own Ed25519, refused
// when expired or altered, and no longer trusted after an emergency rotation.
import { createPublicKey, verify as verifyEd25519 } from "node:crypto";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLocalJWKSet, decodeProtectedHeader, errors, jwtVerify, type JSONWebKeySet } from "jose";
import { NextRequest } from "next/server";
import { usePrivateAppDatabase } from "@/tests/helpers/private-app-database";

let db: Awaited<ReturnType<typeof usePrivateAppDatabase>>;
let tokens: typeof import("./consent-token");
let keys: typeof import("./signing-keys");
let status: typeof import("@/lib/service-api/status");
let subjectId: string;
const issuer = "http://localhost:3000";

async function fetchJwks(): Promise<JSONWebKeySet> {
  const { GET } = await import("@/app/.well-known/jwks.json/route");
  const response = await GET(new NextRequest("http://accord.test/.well-known/jwks.json"), {
    params: Promise.resolve({}),
  });
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toContain("application/jwk-set+json");
  return (await response.json()) as JSONWebKeySet;
}

beforeAll(async () => {
  db = await usePrivateAppDatabase();
  [tokens, keys, status] = await Promise.all([
    import("./consent-token"),
    import("./signing-keys"),
    import("@/lib/service-api/status"),
  ]);
  const { createUser } = await import("@/lib/users/create-user");
  const { acceptAgreement } = await import("@/lib/consent/accept-agreement");
  const { changePurposeConsent } = await import("@/lib/consent/change-purpose");
  const { getVersionInEffect } = await import("@/lib/agreements/versions");
  const user = await createUser({
    email: `token-${randomUUID()}@int.accord.test`,
    password: "correct horse battery",
  });
  if (!user.ok) throw new Error(user.message);
  subjectId = user.data.id;
  const version = await getVersionInEffect();
  const meta = { ipTruncated: null, userAgent: "vitest", locale: "en", gpc: false };
  await acceptAgreement({
    subjectId,
    versionId: version!.id,
    shownSha256: version!.bodySha256,
    method: "WEB",
    meta,
  });
  const granted = await changePurposeConsent({
    subjectId,
    purposeKey: "surveys",
    action: "grant",
    method: "API",
    meta,
    idempotencyKey: `api:${randomUUID()}`,
  });
  expect(granted.ok).toBe(true);
});

afterAll(async () => {
  await db?.release();
});

describe("consent tokens", () => {
  it("state the subject's consent and verify offline with jose against the published key set", async () => {
    const current = await status.readSubjectStatus(subjectId, "customer-user-42");
    expect(current).toMatchObject({
      subjectId: "customer-user-42",
      known: true,
      agreement: { acceptedVersion: 1, inEffectVersion: 1, reconsent: "none" },
      seq: 2,
    });
    expect(current.purposes.find((p) => p.key === "surveys")).toMatchObject({
      consent: "granted",
      granted: true,
    });

    const issued = await tokens.issueConsentToken(current, { ttlSeconds: 300, audience: "recommendations" });
    const jwks = await fetchJwks();
    expect(jwks.keys.map((key) => key.kid)).toContain(issued.kid);
    expect(jwks.keys[0]).toMatchObject({ kty: "OKP", crv: "Ed25519", alg: "EdDSA", use: "sig" });
    expect(jwks.keys[0]).not.toHaveProperty("d");

    const { payload, protectedHeader } = await jwtVerify(issued.token, createLocalJWKSet(jwks), {
      issuer,
      audience: "recommendations",
      typ: "consent+jwt",
      algorithms: ["EdDSA"],
    });
    expect(protectedHeader).toMatchObject({ alg: "EdDSA", kid: issued.kid, typ: "consent+jwt" });
    expect(payload).toMatchObject({
      sub: "customer-user-42",
      ver: 1,
      agreement: { accepted: 1, inEffect: 1, reconsent: "none" },
      purposes: { surveys: "granted", "third-party-sharing": "not-granted" },
      seq: 2,
    });
    expect(payload.exp! - payload.iat!).toBe(300);
    expect(payload.jti).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("verifies with Node's own Ed25519 too (RFC 8037 over the signing input)", async () => {
    const issued = await tokens.issueConsentToken(await status.readSubjectStatus(subjectId, "u"), {
      ttlSeconds: 60,
    });
    const jwk = (await fetchJwks()).keys.find((key) => key.kid === issued.kid)!;
    const [header, payload, signature] = issued.token.split(".");
    const publicKey = createPublicKey({ key: { kty: "OKP", crv: "Ed25519", x: jwk.x! }, format: "jwk" });
    const input = Buffer.from(`${header}.${payload}`, "ascii");
    expect(verifyEd25519(null, input, publicKey, Buffer.from(signature!, "base64url"))).toBe(true);
    expect(
      verifyEd25519(
        null,
        Buffer.concat([input, Buffer.from("x")]),
        publicKey,
        Buffer.from(signature!, "base64url"),
      ),
    ).toBe(false);
  });

  it("refuses an expired token and any altered one", async () => {
    const current = await status.readSubjectStatus(subjectId, "u");
    const jwks = createLocalJWKSet(await fetchJwks());
    const issued = await tokens.issueConsentToken(current, { ttlSeconds: 300 });
    // A service checking it 5 minutes and 1 second later (jose's own clock option).
    const later = new Date(Date.now() + 301_000);
    await expect(jwtVerify(issued.token, jwks, { issuer, currentDate: later })).rejects.toBeInstanceOf(
      errors.JWTExpired,
    );
    await expect(jwtVerify(issued.token, jwks, { issuer })).resolves.toBeTruthy();

    const fresh = await tokens.issueConsentToken(current, { ttlSeconds: 300 });
    const [header, payload, signature] = fresh.token.split(".");
    const claims = JSON.parse(Buffer.from(payload!, "base64url").toString());
    claims.purposes["third-party-sharing"] = "granted";
    const forged = `${header}.${Buffer.from(JSON.stringify(claims)).toString("base64url")}.${signature}`;
    await expect(jwtVerify(forged, jwks, { issuer })).rejects.toBeInstanceOf(
      errors.JWSSignatureVerificationFailed,
    );

    const unsigned = `${Buffer.from(JSON.stringify({ alg: "none", typ: "consent+jwt" })).toString("base64url")}.${payload}.`;
    await expect(jwtVerify(unsigned, jwks, { issuer })).rejects.toThrow();
    const otherKid = `${Buffer.from(JSON.stringify({ ...decodeProtectedHeader(fresh.token), kid: "nope" })).toString("base64url")}.${payload}.${signature}`;
    await expect(jwtVerify(otherKid, jwks, { issuer })).rejects.toBeInstanceOf(errors.JWKSNoMatchingKey);
  });

  it("an emergency rotation unpublishes the old key: its tokens stop verifying", async () => {
    const current = await status.readSubjectStatus(subjectId, "u");
    const before = await tokens.issueConsentToken(current, { ttlSeconds: 300 });
    const rotated = await keys.rotateSigningKeyNow({ actor: null, meta: null });
    expect(rotated).toMatchObject({ ok: true, data: { retired: before.kid } });
    const jwks = await fetchJwks();
    expect(jwks.keys.map((key) => key.kid)).not.toContain(before.kid);
    await expect(jwtVerify(before.token, createLocalJWKSet(jwks), { issuer })).rejects.toBeInstanceOf(
      errors.JWKSNoMatchingKey,
    );
    const after = await tokens.issueConsentToken(current, { ttlSeconds: 300 });
    expect(after.kid).not.toBe(before.kid);
    await expect(jwtVerify(after.token, createLocalJWKSet(jwks), { issuer })).resolves.toBeTruthy();
    const states = await keys.listSigningKeys();
    expect(states.find((k) => k.kid === before.kid)?.state).toBe("unpublished");
    expect(states.find((k) => k.kid === after.kid)?.state).toBe("signing");
  });

  it("eight rotations at once all succeed, one after the other, and leave one key signing", async () => {
    // bench/fuzz-actions.ts sent rotateTokenKeyAction 8 at a time: one could retire
    // another's new key before it signed, and answer 500 ("no key after creating one").
    const before = (await keys.listSigningKeys()).find((k) => k.state === "signing")?.kid;
    const results = await Promise.all(
      Array.from({ length: 8 }, () => keys.rotateSigningKeyNow({ actor: null, meta: null })),
    );
    expect(results.every((r) => r.ok)).toBe(true);
    const rotated = results.map((r) => (r.ok ? r.data : null)!);
    const made = new Set(rotated.map((r) => r.kid));
    expect(made.size).toBe(8);
    // Each retired the key the previous one made: a single chain from the old key.
    const retired = rotated.map((r) => r.retired);
    expect(retired).toContain(before);
    expect(new Set(retired).size).toBe(8);
    expect(retired.filter((kid) => kid !== before).every((kid) => made.has(kid!))).toBe(true);
    const states = await keys.listSigningKeys();
    const signing = states.filter((k) => k.state === "signing");
    expect(signing).toHaveLength(1);
    expect(made.has(signing[0]!.kid)).toBe(true);
    expect(retired).not.toContain(signing[0]!.kid);
    const current = await status.readSubjectStatus(subjectId, "u");
    const token = await tokens.issueConsentToken(current, { ttlSeconds: 300 });
    expect(token.kid).toBe(signing[0]!.kid);
    await expect(
      jwtVerify(token.token, createLocalJWKSet(await fetchJwks()), { issuer }),
    ).resolves.toBeTruthy();
  });

  it("a subject with no record: unknown, nothing granted", async () => {
    const nobody = await status.readSubjectStatus(randomUUID(), "never-seen");
    expect(nobody).toMatchObject({
      known: false,
      seq: 0,
      agreement: { acceptedVersion: null, reconsent: "required" },
    });
    expect(nobody.purposes.length).toBeGreaterThan(0);
    expect(nobody.purposes.every((p) => p.granted === false && p.consent === "not-granted")).toBe(true);
  });
});
