// Issue 9, findings 2 and 7: the exact requests that got through, against the
// route handlers as Next runs them. Each must be refused with a 4xx and write
// nothing.
import { beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { pool } from "@/lib/db";
import { ok } from "@/lib/result";
import { withRoute } from "@/lib/http/route";
import { getVersionInEffect } from "@/lib/agreements/versions";
import { acceptAgreement } from "@/lib/consent/accept-agreement";
import * as consentRoute from "@/app/api/v1/me/consent/route";
import { APP_ORIGIN, callRoute } from "@/tests/helpers/route-call";
import { createSignedInUser } from "@/tests/helpers/session-cookie";

let user: Awaited<ReturnType<typeof createSignedInUser>>;

async function eventsOf(subjectId: string): Promise<number> {
  const { rows } = await pool.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM consent_events WHERE subject_id = $1",
    [subjectId],
  );
  return rows[0]?.n ?? 0;
}

beforeAll(async () => {
  user = await createSignedInUser();
  const version = await getVersionInEffect();
  if (!version) throw new Error("no version in effect");
  const accepted = await acceptAgreement({
    subjectId: user.id,
    versionId: version.id,
    shownSha256: version.bodySha256,
    method: "WEB",
    meta: { ipTruncated: null, userAgent: null, locale: null },
  });
  if (!accepted.ok) throw new Error(accepted.message);
});

const grant = { purposeKey: "third-party-sharing", action: "grant" };

describe("cross-site requests (finding 2)", () => {
  it.each([
    ["text/plain", JSON.stringify(grant)],
    ["application/x-www-form-urlencoded", "purposeKey=third-party-sharing&action=grant"],
    ["multipart/form-data; boundary=x", '--x\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--x--'],
    [null, JSON.stringify(grant)],
  ])(
    "POST /api/v1/me/consent as %s from a foreign origin with the cookie: 415, nothing written",
    async (type, body) => {
      const before = await eventsOf(user.id);
      const answer = await callRoute(consentRoute.POST, "/api/v1/me/consent", {
        method: "POST",
        headers: {
          cookie: user.cookie,
          origin: "https://evil.example",
          ...(type ? { "content-type": type } : {}),
        },
        body,
      });
      expect(answer.status).toBe(415);
      expect(answer.json).toMatchObject({ error: { code: "unsupported_media_type" } });
      expect(await eventsOf(user.id)).toBe(before);
    },
  );

  it.each([
    [{ origin: "https://evil.example" }],
    // Same site, other port: SameSite=Lax sends the cookie, the origin check does not let it through.
    [{ origin: "http://localhost:4119" }],
    [{ "sec-fetch-site": "same-site" }],
    [{ "sec-fetch-site": "cross-site" }],
    [{ origin: "null" }],
  ])("JSON with %j and the cookie: 403, nothing written", async (extra) => {
    const before = await eventsOf(user.id);
    const answer = await callRoute(consentRoute.POST, "/api/v1/me/consent", {
      method: "POST",
      headers: { cookie: user.cookie, "content-type": "application/json", ...extra },
      body: grant,
    });
    expect(answer.status).toBe(403);
    expect(answer.json).toMatchObject({ error: { code: "cross_site" } });
    expect(await eventsOf(user.id)).toBe(before);
  });

  it("our own origin (APP_URL or the host the browser used) writes", async () => {
    const before = await eventsOf(user.id);
    for (const origin of [APP_ORIGIN, "http://127.0.0.1:3000"]) {
      const answer = await callRoute(consentRoute.POST, "/api/v1/me/consent", {
        method: "POST",
        headers: {
          cookie: user.cookie,
          "content-type": "application/json; charset=utf-8",
          origin,
          "sec-fetch-site": "same-origin",
          ...(origin.includes("127.0.0.1") ? { host: "127.0.0.1:3000" } : {}),
        },
        body: { ...grant, action: origin === APP_ORIGIN ? "grant" : "withdraw" },
      });
      expect(answer.status).toBe(200);
    }
    expect(await eventsOf(user.id)).toBe(before + 2);
  });

  it("API-key routes skip the origin check (no ambient credential) but still want JSON", async () => {
    const route = withRoute({ access: { apiKey: "status:read" }, body: z.strictObject({}) }, async () =>
      ok({}),
    );
    const foreign = await callRoute(route, "/x", {
      method: "POST",
      headers: { origin: "https://evil.example", "content-type": "application/json" },
      body: {},
    });
    expect(foreign.status).toBe(401); // the key is checked, not the origin
    const plain = await callRoute(route, "/x", {
      method: "POST",
      headers: { "content-type": "text/plain" },
      body: "{}",
    });
    expect(plain.status).toBe(415);
  });
});

describe("strict input (finding 7)", () => {
  it.each([[[1]], [true], ["1"], [1.5], [0], [-1], [null]])(
    "versionNumber: %j is refused with 400 and writes nothing",
    async (versionNumber) => {
      const before = await eventsOf(user.id);
      const answer = await callRoute(consentRoute.POST, "/api/v1/me/consent", {
        method: "POST",
        headers: { cookie: user.cookie, "content-type": "application/json", origin: APP_ORIGIN },
        body: { ...grant, versionNumber },
      });
      expect(answer.status).toBe(400);
      expect(answer.json).toMatchObject({ error: { fieldErrors: { versionNumber: expect.any(Array) } } });
      expect(await eventsOf(user.id)).toBe(before);
    },
  );

  it("a NUL byte anywhere in JSON is a 400 naming the field", async () => {
    const before = await eventsOf(user.id);
    const answer = await callRoute(consentRoute.POST, "/api/v1/me/consent", {
      method: "POST",
      headers: { cookie: user.cookie, "content-type": "application/json", origin: APP_ORIGIN },
      body: '{"purposeKey":"third-party-sharing\\u0000","action":"grant"}',
    });
    expect(answer.status).toBe(400);
    expect(answer.json).toMatchObject({ error: { fieldErrors: { purposeKey: expect.any(Array) } } });
    expect(await eventsOf(user.id)).toBe(before);
  });

  it("a query parameter a route does not take is a 400", async () => {
    const answer = await callRoute(consentRoute.GET, "/api/v1/me/consent?unknown=1", {
      headers: { cookie: user.cookie },
    });
    expect(answer.status).toBe(400);
    expect(answer.json).toMatchObject({ error: { fieldErrors: { unknown: ["Unknown query parameter."] } } });
  });
});
