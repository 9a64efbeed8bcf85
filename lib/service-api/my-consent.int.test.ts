// GET /api/v1/me/consent through the custom server's fast path: the same
// answer as the route's services, a decode-only session check, and the
// session rules (deregistered users and ended sessions are refused).
import { randomUUID } from "node:crypto";
import { request as httpRequest } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encode } from "next-auth/jwt";
import { env } from "@/lib/env";
import { pool } from "@/lib/db";
import type { AccordServer } from "@/lib/server/create-server";
import { startFastPathServer } from "@/tests/helpers/fast-path-server";
import { SESSION_COOKIE, bumpSessionVersion } from "@/lib/auth/session";
import { createUser } from "@/lib/users/create-user";
import { acceptAgreement } from "@/lib/consent/accept-agreement";
import { changePurposeConsent } from "@/lib/consent/change-purpose";
import { getPreferences } from "@/lib/consent/preferences";
import { getVersionInEffect } from "@/lib/agreements/versions";
import { myConsentAnswer } from "@/lib/service-api/my-consent";

let server: AccordServer;

function get(cookie: string | null, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; json: unknown }>((resolve, reject) => {
    const request = httpRequest(
      new URL("/api/v1/me/consent", server.url),
      { headers: { ...(cookie ? { Cookie: cookie } : {}), ...headers } },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () =>
          resolve({
            status: response.statusCode ?? 0,
            json: JSON.parse(Buffer.concat(chunks).toString("utf8")),
          }),
        );
      },
    );
    request.on("error", reject);
    request.end();
  });
}

async function sessionCookie(userId: string, sessionVersion = 0): Promise<string> {
  const token = await encode({
    token: { sub: userId, sv: sessionVersion, authAt: Math.floor(Date.now() / 1000) },
    secret: env.NEXTAUTH_SECRET,
  });
  return `${SESSION_COOKIE}=${token}`;
}

async function newUser(): Promise<string> {
  const user = await createUser({
    email: `me-${randomUUID()}@int.accord.test`,
    password: "correct horse battery",
  });
  if (!user.ok) throw new Error(user.message);
  return user.data.id;
}

beforeAll(async () => {
  server = await startFastPathServer();
});

afterAll(async () => {
  await server?.close();
});

describe("GET /api/v1/me/consent in the fast path", () => {
  it("answers what the route answers, from one statement", async () => {
    const userId = await newUser();
    const cookie = await sessionCookie(userId);
    // Nothing accepted yet.
    expect(await get(cookie)).toEqual({
      status: 200,
      json: JSON.parse(JSON.stringify(myConsentAnswer(await getPreferences(userId), false))),
    });
    const version = (await getVersionInEffect())!;
    const meta = { ipTruncated: null, userAgent: "vitest", locale: "en", gpc: false };
    await acceptAgreement({
      subjectId: userId,
      versionId: version.id,
      shownSha256: version.bodySha256,
      method: "WEB",
      meta,
    });
    for (const purposeKey of ["surveys", "personalisation"]) {
      const changed = await changePurposeConsent({
        subjectId: userId,
        purposeKey,
        action: "grant",
        method: "WEB",
        meta,
        idempotencyKey: `web:${randomUUID()}`,
      });
      expect(changed.ok).toBe(true);
    }
    const answer = await get(cookie);
    expect(answer.status).toBe(200);
    expect(answer.json).toEqual(
      JSON.parse(JSON.stringify(myConsentAnswer(await getPreferences(userId), false))),
    );
    expect(answer.json).toMatchObject({
      acceptedVersion: { number: version.number },
      purposes: expect.arrayContaining([
        expect.objectContaining({ key: "surveys", consent: "granted", granted: true }),
        expect.objectContaining({ key: "service", consent: "required" }),
        expect.objectContaining({ key: "recommendations", consent: "not-granted", lastChange: null }),
      ]),
    });
  });

  it("applies a Global Privacy Control signal as the route does", async () => {
    const userId = await newUser();
    const version = (await getVersionInEffect())!;
    const meta = { ipTruncated: null, userAgent: "vitest", locale: "en", gpc: false };
    await acceptAgreement({
      subjectId: userId,
      versionId: version.id,
      shownSha256: version.bodySha256,
      method: "WEB",
      meta,
    });
    await changePurposeConsent({
      subjectId: userId,
      purposeKey: "third-party-sharing",
      action: "grant",
      method: "WEB",
      meta,
      idempotencyKey: `web:${randomUUID()}`,
    });
    const answer = await get(await sessionCookie(userId), { "Sec-GPC": "1" });
    expect(answer.json).toMatchObject({
      gpc: { signal: true },
      purposes: expect.arrayContaining([
        expect.objectContaining({ key: "third-party-sharing", consent: "not-granted" }),
      ]),
    });
  });

  it("refuses no session, a forged one, an ended one and a deregistered user with 401", async () => {
    const unauthenticated = {
      status: 401,
      json: { error: { code: "unauthenticated", message: "Sign in to continue." } },
    };
    expect(await get(null)).toEqual(unauthenticated);
    expect(await get(`${SESSION_COOKIE}=forged.token.value`)).toEqual(unauthenticated);
    const ended = await newUser();
    const cookie = await sessionCookie(ended);
    expect((await get(cookie)).status).toBe(200);
    await bumpSessionVersion(ended);
    expect(await get(cookie)).toEqual(unauthenticated);
    const gone = await newUser();
    const goneCookie = await sessionCookie(gone);
    await pool.query("UPDATE users SET deregistered_at = now() WHERE id = $1", [gone]);
    expect(await get(goneCookie)).toEqual(unauthenticated);
  });
});
