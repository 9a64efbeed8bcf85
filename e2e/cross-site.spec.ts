// Issue 9, finding 2, in Chromium: a page on another site, and a page on
// another port of the same host (same site: SameSite=Lax sends the cookie),
// try to grant third-party sharing for a signed-in victim. Nothing is written.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { test, expect } from "./fixtures";

let attacker: Server;
let attackerPort: number;

// The attacker's page: a form that posts "JSON" as text/plain (the classic
// trick), and buttons for the fetch variants.
function attackerPage(target: string): string {
  return `<!doctype html><html><head><title>Win a prize</title></head><body>
<form id="form" method="POST" action="${target}" enctype="text/plain">
  <input name='{"purposeKey":"third-party-sharing","action":"grant","pad":"' value='"}'>
</form>
<form id="urlencoded" method="POST" action="${target}">
  <input name="purposeKey" value="third-party-sharing"><input name="action" value="grant">
</form>
</body></html>`;
}

test.beforeAll(async () => {
  attacker = createServer((request, response) => {
    const target = new URL(request.url ?? "/", "http://x").searchParams.get("target") ?? "";
    response.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    response.end(attackerPage(target));
  });
  await new Promise<void>((resolve) => attacker.listen(4119, resolve));
  attackerPort = (attacker.address() as AddressInfo).port;
});

test.afterAll(async () => {
  await new Promise<void>((resolve) => attacker.close(() => resolve()));
});

for (const [name, attackerHost] of [
  ["another site (localhost vs 127.0.0.1)", "localhost"],
  ["the same site on another port", "127.0.0.1"],
] as const) {
  test(`a page on ${name} cannot grant consent for a signed-in victim`, async ({
    page,
    signInAs,
    db,
    baseURL,
  }) => {
    const victim = await signInAs(page, { accepted: true });
    const count = async () =>
      Number(
        (
          await db.query(
            `SELECT count(*) AS n FROM consent_events WHERE subject_id = $1 AND purpose_key = 'third-party-sharing'`,
            [victim.id],
          )
        ).rows[0].n,
      );
    const target = `${baseURL}/api/v1/me/consent`;
    const origin = `http://${attackerHost}:${attackerPort}`;
    await page.goto(`${origin}/?target=${encodeURIComponent(target)}`);

    // fetch without CORS: text/plain, form-encoded, no body type. The browser sends them (with the
    // cookie on the same site); the server must refuse them.
    const fetched = await page.evaluate(async (url) => {
      const body = JSON.stringify({ purposeKey: "third-party-sharing", action: "grant" });
      const sent: string[] = [];
      for (const type of ["text/plain", "application/x-www-form-urlencoded", null]) {
        // Our Cross-Origin-Resource-Policy hides the answer (a network error here), but the
        // request reaches the server: the row count below is what matters.
        await fetch(url, {
          method: "POST",
          mode: "no-cors",
          credentials: "include",
          ...(type ? { headers: { "content-type": type } } : {}),
          body,
        }).catch(() => undefined);
        sent.push(String(type));
      }
      // JSON needs a CORS preflight, which is never answered: the request is not sent.
      let jsonBlocked = false;
      try {
        await fetch(url, {
          method: "POST",
          credentials: "include",
          headers: { "content-type": "application/json" },
          body,
        });
      } catch {
        jsonBlocked = true;
      }
      return { sent, jsonBlocked };
    }, target);
    expect(fetched.sent).toHaveLength(3);
    expect(fetched.jsonBlocked).toBe(true);
    expect(await count()).toBe(0);

    // A top-level form POST: the browser navigates to our answer, so we can read it.
    for (const form of ["#form", "#urlencoded"]) {
      await page.goto(`${origin}/?target=${encodeURIComponent(target)}`);
      const [response] = await Promise.all([
        page.waitForResponse((r) => r.url() === target),
        page.locator(form).evaluate((element) => (element as HTMLFormElement).submit()),
      ]);
      await page.waitForURL(target);
      // 415 (not JSON) on the same site; a foreign site's POST also lacks the Lax cookie.
      expect([401, 403, 415]).toContain(response.status());
      expect(response.status()).toBeLessThan(500);
    }
    expect(await count()).toBe(0);

    // The victim's own page, same origin, still works.
    await page.goto(`${baseURL}/account`);
    const own = await page.evaluate(async (url) => {
      const response = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ purposeKey: "third-party-sharing", action: "grant" }),
      });
      return response.status;
    }, target);
    expect(own).toBe(200);
    expect(await count()).toBe(1);
  });
}

test("a request body of 1 MB gets a 413 or a clear refusal, never a 500", async ({ request }) => {
  for (const size of [1_000_000, 1_100_000]) {
    const answer = await request.post("/admin", {
      headers: { "next-action": "0".repeat(40), "content-type": "text/plain;charset=UTF-8" },
      data: "x".repeat(size),
    });
    expect(answer.status(), `${size} bytes`).toBeLessThan(500);
    if (size > 1024 * 1024) expect(answer.status()).toBe(413);
  }
});
