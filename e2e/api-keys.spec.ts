// Admins manage API keys: a new key is shown once and works at once, only
// with its scopes; revoking it refuses the next request.
import { test, expect } from "./fixtures";

test("admin creates an API key, sees it once, uses it, and revokes it", async ({
  page,
  signInAs,
  db,
  snap,
  expectAccessible,
}) => {
  await signInAs(page, { role: "ADMIN", accepted: true });
  await page.goto("/admin");
  await page
    .getByRole("navigation", { name: "Administration" })
    .getByRole("link", { name: "API keys" })
    .click();
  await expect(page.getByRole("heading", { level: 1, name: "API keys" })).toBeVisible();
  await expectAccessible(page);

  // Field errors: no name, no scope.
  await page.getByRole("button", { name: "Create key" }).click();
  await expect(page.getByText("Name the key after the service that will use it.")).toBeVisible();
  await expect(page.getByText("Choose at least one scope.")).toBeVisible();

  const name = `IM backend ${Date.now()}`;
  await page.getByLabel("Name").fill(name);
  await page.getByLabel(/^versions:read/).check();
  await page.getByLabel("Requests per minute").fill("600");
  await page.getByRole("button", { name: "Create key" }).click();
  const shown = page.getByTestId("new-api-key");
  await expect(shown).toHaveValue(/^acc_[A-Za-z0-9_-]{43}$/);
  const key = await shown.inputValue();
  const row = page.getByTestId("api-key-row").filter({ hasText: name });
  await expect(row).toContainText("versions:read");
  await expect(row).toContainText("600/min");
  await expect(row).toContainText("Never");
  await snap(page, "admin-api-key-created");
  await expectAccessible(page);

  // Only the hash is stored; the key works with its scope and no other.
  const { rows } = await db.query(`SELECT secret_sha256 FROM api_keys WHERE name = $1`, [name]);
  expect(rows).toHaveLength(1);
  expect(JSON.stringify(rows)).not.toContain(key.slice(4));
  const auth = { authorization: `Bearer ${key}` };
  const current = await page.request.get("/api/v1/versions/current", { headers: auth });
  expect(current.status()).toBe(200);
  expect(current.headers()["ratelimit-limit"]).toBe("600");
  expect((await page.request.get("/api/v1/versions", { headers: {} })).status()).toBe(401);

  // Shown once: a reload shows the prefix only, and the time of use.
  await page.reload();
  await expect(page.getByTestId("new-api-key")).toHaveCount(0);
  await expect(row).toContainText(key.slice(0, 12));
  await expect(row).not.toContainText("Never");

  page.once("dialog", (dialog) => void dialog.accept());
  await row.getByRole("button", { name: "Revoke" }).click();
  await expect(row).toContainText("Revoked");
  const refused = await page.request.get("/api/v1/versions/current", { headers: auth });
  expect(refused.status()).toBe(401);
  expect((await refused.json()).error.code).toBe("api_key_revoked");
  await snap(page, "admin-api-keys-revoked");

  const { rows: audit } = await db.query(
    `SELECT action FROM audit_log WHERE target_type = 'api_key' AND details->>'name' = $1 ORDER BY id`,
    [name],
  );
  expect(audit.map((r) => r.action)).toEqual(["api_key.created", "api_key.revoked"]);
});

test("the API reference, its OpenAPI document and security.txt are public", async ({
  page,
  snap,
  expectAccessible,
}) => {
  await page.goto("/developers");
  await expect(page.getByRole("heading", { level: 1, name: "Accord service API" })).toBeVisible();
  const operations = page.getByTestId("api-operation");
  await expect(operations.filter({ hasText: "/api/v1/subjects/{subjectId}/status" })).toContainText(
    "status:read",
  );
  await expect(operations.filter({ hasText: "/api/v1/subjects/{subjectId}/consent" })).toContainText(
    "Idempotency-Key",
  );
  await expect(page.locator("#schema-SubjectStatus")).toContainText("agreement.reconsent");
  await snap(page, "developers");
  await expectAccessible(page);

  const document = await page.request.get("/api/v1/openapi.json");
  expect(document.status()).toBe(200);
  expect(((await document.json()) as { openapi: string }).openapi).toBe("3.1.0");

  const security = await page.request.get("/.well-known/security.txt");
  expect(security.status()).toBe(200);
  expect(security.headers()["content-type"]).toContain("text/plain");
  const text = await security.text();
  expect(text).toMatch(/^Contact: (mailto:|https:)/m);
  expect(text).toMatch(/^Expires: \d{4}-\d\d-\d\dT/m);
});
