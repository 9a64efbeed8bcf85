// A hosted flow end to end: the customer's backend (a local server here)
// asks Accord for a signed link for one of its users, the user re-consents in
// the browser without an Accord password, lands back on the allowed return
// URL with the outcome, and the customer's webhook endpoint hears about it.
import type { IncomingMessage, ServerResponse } from "node:http";
import { randomUUID } from "node:crypto";
import { test, expect } from "./fixtures";
import { createApiKey } from "@/lib/api-keys/api-keys";
import { addReturnUrl } from "@/lib/hosted/return-urls";
import { createWebhookEndpoint } from "@/lib/webhooks/endpoints";
import { drainWebhooks } from "@/lib/webhooks/dispatcher";
import { readExternalStatus, readSubjectStatus } from "@/lib/service-api/status";
import { startWebhookReceiver, type WebhookReceiver } from "./helpers/webhook-receiver";

// The customer backend's port: set HOSTED_E2E_CUSTOMER_PORT when another run uses 4155.
const PORT = Number(process.env.HOSTED_E2E_CUSTOMER_PORT ?? 4155);
const ORIGIN = `http://127.0.0.1:${PORT}`;
let customer: WebhookReceiver;
let apiKey = "";

test.beforeAll(async ({}, testInfo) => {
  const accord = testInfo.project.use.baseURL!;
  // The customer's backend: /start asks Accord for a link and redirects the
  // user to it; /consent/return is where the user comes back.
  customer = await startWebhookReceiver(PORT, async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", ORIGIN);
    if (url.pathname === "/start") {
      const answer = await fetch(`${accord}/api/v1/hosted-links`, {
        method: "POST",
        headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" },
        body: JSON.stringify({
          subjectId: url.searchParams.get("user"),
          flow: "reconsent",
          returnUrl: `${ORIGIN}/consent/return`,
          state: "session-7",
        }),
      });
      const link = (await answer.json()) as { url?: string };
      if (answer.status !== 201 || !link.url) res.writeHead(502).end(JSON.stringify(link));
      else res.writeHead(302, { location: link.url }).end();
      return true;
    }
    if (url.pathname === "/consent/return") {
      res.writeHead(200, { "content-type": "text/html" });
      res.end(
        `<!doctype html><html lang="en"><title>IM</title><h1>Back in IM: ${url.searchParams.get("accord_outcome")} (${url.searchParams.get("state")})</h1></html>`,
      );
      return true;
    }
    return false;
  });
  const context = { actor: null, meta: null };
  const key = await createApiKey(context, {
    name: `IM ${randomUUID()}`,
    scopes: ["consent:write"],
    rateLimitPerMinute: 600,
  });
  if (!key.ok) throw new Error(key.message);
  apiKey = key.data.key;
  const allowed = await addReturnUrl(context, { apiKeyId: key.data.id, urlPrefix: `${ORIGIN}/consent` });
  if (!allowed.ok) throw new Error(allowed.message);
  const endpoint = await createWebhookEndpoint(context, {
    url: customer.url,
    description: "IM backend",
    eventTypes: ["agreement.accepted", "consent.changed"],
  });
  if (!endpoint.ok) throw new Error(endpoint.message);
  customer.setSecret(endpoint.data.secret);
});

test.afterAll(async () => {
  await customer.close();
});

test("a user re-consents through a hosted link and the customer's backend hears about it", async ({
  page,
  snap,
  expectAccessible,
}) => {
  const user = `im-user-${randomUUID()}`;
  await page.goto(`${ORIGIN}/start?user=${user}`);
  await expect(page).toHaveURL(/\/hosted\/reconsent\?token=/);
  await expect(
    page.getByRole("heading", { level: 1, name: "Review and accept the privacy agreement" }),
  ).toBeVisible();
  await expect(page.getByText(`127.0.0.1:${PORT} asked Accord`)).toBeVisible();
  await expectAccessible(page);
  const optional = page.locator('input[type="checkbox"]:not([disabled])');
  await optional.first().check();
  const purposeName = await optional
    .first()
    .locator("xpath=..")
    .locator("span.font-medium")
    .first()
    .textContent();
  await snap(page, "hosted-reconsent");
  await page.getByRole("button", { name: "Accept and return" }).click();

  await expect(page).toHaveURL(`${ORIGIN}/consent/return?accord_outcome=accepted&state=session-7`);
  await expect(page.getByRole("heading", { name: "Back in IM: accepted (session-7)" })).toBeVisible();

  await drainWebhooks();
  expect(customer.refused).toEqual([]);
  const mine = customer.received.filter((r) => r.data.externalId === user);
  expect(mine.map((r) => r.type).sort()).toEqual(["agreement.accepted", "consent.changed"]);
  expect(mine.find((r) => r.type === "consent.changed")?.data).toMatchObject({
    granted: true,
    method: "WEB",
  });
  expect(purposeName).toBeTruthy();

  // The link worked once.
  await page.goBack();
  await page.reload();
  await expect(page.getByText("This link has already been used")).toBeVisible();
});

test("a signed-in user links the app's account to their Accord account; the admin sees the link", async ({
  page,
  browser,
  signInAs,
  signIn,
  makeUser,
  expectAccessible,
}) => {
  const account = await signInAs(page);
  const user = `im-user-${randomUUID()}`;
  await page.goto(`${ORIGIN}/start?user=${user}`);
  const link = page.getByRole("checkbox", { name: /Also link this app's account to my Accord account/ });
  await expect(link).toBeVisible();
  await expectAccessible(page);
  await link.check();
  await page.getByRole("button", { name: "Accept and return" }).click();
  await expect(page).toHaveURL(`${ORIGIN}/consent/return?accord_outcome=accepted&state=session-7`);
  // The service's id now reads the account's own record.
  const mine = await readSubjectStatus(account.id, user);
  expect(mine.known).toBe(true);
  expect(await readExternalStatus(user)).toEqual(mine);

  // The admin in a context of their own (axe needs one made with newContext).
  const adminContext = await browser.newContext({ baseURL: test.info().project.use.baseURL });
  const admin = await adminContext.newPage();
  await signIn(admin, await makeUser({ role: "ADMIN" }));
  await admin.goto("/admin/linked-accounts");
  await expect(admin.getByRole("heading", { level: 1, name: "Linked accounts" })).toBeVisible();
  const row = admin.getByTestId("linked-accounts-table").getByRole("row").filter({ hasText: user });
  await expect(row).toContainText(account.email);
  await expectAccessible(admin);
  await adminContext.close();
});

test("a tampered link is refused", async ({ page }) => {
  await page.goto("/hosted/reconsent?token=eyJhbGciOiJIUzI1NiJ9.e30.x");
  await expect(page.getByText("This link is not valid")).toBeVisible();
});
