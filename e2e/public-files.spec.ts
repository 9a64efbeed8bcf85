// The files people and tools expect at fixed addresses: favicon, robots.txt,
// and the consent-token key set (which rotates, so a route serves it).
import { test, expect } from "./fixtures";

test("favicon, robots.txt and the JWKS are served with their types", async ({ page }) => {
  const icon = await page.request.get("/favicon.ico");
  expect(icon.status()).toBe(200);
  expect(icon.headers()["content-type"]).toMatch(/image\/(x-icon|vnd\.microsoft\.icon)/);
  expect((await icon.body()).subarray(0, 4)).toEqual(Buffer.from([0, 0, 1, 0]));
  const svg = await page.request.get("/favicon.svg");
  expect(svg.headers()["content-type"]).toContain("image/svg+xml");

  const robots = await page.request.get("/robots.txt");
  expect(robots.status()).toBe(200);
  expect(robots.headers()["content-type"]).toContain("text/plain");
  const rules = await robots.text();
  expect(rules).toContain("Allow: /agreement");
  for (const path of ["/account", "/admin", "/audit", "/hosted", "/api/"])
    expect(rules).toContain(`Disallow: ${path}`);

  const jwks = await page.request.get("/.well-known/jwks.json");
  expect(jwks.status()).toBe(200);
  expect(jwks.headers()["content-type"]).toContain("application/jwk-set+json");
  const { keys } = (await jwks.json()) as { keys: Record<string, string>[] };
  expect(keys.length).toBeGreaterThan(0);
  for (const key of keys) {
    expect(key).toMatchObject({ kty: "OKP", crv: "Ed25519", alg: "EdDSA", use: "sig" });
    expect(key).not.toHaveProperty("d");
  }

  await page.goto("/agreement");
  await expect(page.locator('link[rel="icon"][href="/favicon.svg"]')).toHaveCount(1);
});

test("an admin sees the token signing keys and can retire the signing key at once", async ({
  page,
  signInAs,
  snap,
  expectAccessible,
}) => {
  const before = (await (await page.request.get("/.well-known/jwks.json")).json()) as {
    keys: { kid: string }[];
  };
  await signInAs(page, { role: "ADMIN", accepted: true });
  await page.goto("/admin/api-keys");
  const signing = page.getByTestId("token-key-row").filter({ hasText: "Signing" });
  await expect(signing).toHaveCount(1);
  const oldKid = (await signing.locator("td").first().textContent())?.trim() ?? "";
  expect(before.keys.map((key) => key.kid)).toContain(oldKid);
  page.once("dialog", (dialog) => void dialog.accept());
  await page.getByRole("button", { name: "Rotate now" }).click();
  await expect(page.getByTestId("token-key-row").filter({ hasText: oldKid })).toContainText("Retired");
  await snap(page, "admin-token-keys");
  await expectAccessible(page);
  const after = (await (await page.request.get("/.well-known/jwks.json")).json()) as {
    keys: { kid: string }[];
  };
  expect(after.keys.map((key) => key.kid)).not.toContain(oldKid);
  expect(after.keys.length).toBeGreaterThan(0);
});
