// Admins register a webhook endpoint (secret shown once), send it a test
// event, read the delivery log and replay a delivery; the receiver verifies
// every request with the standardwebhooks library.
import { test, expect } from "./fixtures";
import { drainWebhooks } from "@/lib/webhooks/dispatcher";
import { startWebhookReceiver, type WebhookReceiver } from "./helpers/webhook-receiver";

let receiver: WebhookReceiver;
test.beforeAll(async () => {
  receiver = await startWebhookReceiver(4154);
});
test.afterAll(async () => {
  await receiver.close();
});

test("admin registers an endpoint, sends a test event, reads the log and replays it", async ({
  page,
  signInAs,
  snap,
  expectAccessible,
  db,
}) => {
  await signInAs(page, { role: "ADMIN", accepted: true });
  await page.goto("/admin");
  await page
    .getByRole("navigation", { name: "Administration" })
    .getByRole("link", { name: "Webhooks" })
    .click();
  await expect(page.getByRole("heading", { level: 1, name: "Webhooks" })).toBeVisible();
  await expectAccessible(page);

  // Field errors: a bad address and no event type.
  await page.getByLabel("Endpoint URL").fill("ftp://nope");
  await page.getByRole("button", { name: "Add endpoint" }).click();
  await expect(page.getByText(/Enter the endpoint's full address/)).toBeVisible();
  await expect(page.getByText("Choose at least one event type.")).toBeVisible();

  const url = `${receiver.url}?run=${Date.now()}`;
  await page.getByLabel("Endpoint URL").fill(url);
  await page.getByLabel("Description (optional)").fill("IM backend");
  await page.getByLabel(/^consent\.changed/).check();
  await page.getByRole("button", { name: "Add endpoint" }).click();
  const shown = page.getByTestId("new-webhook-secret");
  await expect(shown).toHaveValue(/^whsec_/);
  receiver.setSecret(await shown.inputValue());
  await snap(page, "admin-webhooks");
  await expectAccessible(page);

  const { rows } = await db.query(`SELECT secret_sealed FROM webhook_endpoints WHERE url = $1`, [url]);
  expect(JSON.stringify(rows)).not.toContain((await shown.inputValue()).slice(6));

  await page.getByTestId("webhook-row").filter({ hasText: url }).getByRole("link").click();
  await page.getByRole("button", { name: "Send test event" }).click();
  await expect(page.getByTestId("delivery-row")).toHaveCount(1);
  await drainWebhooks();
  expect(receiver.refused).toEqual([]);
  expect(receiver.received.map((r) => r.type)).toEqual(["webhook.test"]);

  await page.reload();
  const row = page.getByTestId("delivery-row").first();
  await expect(row.getByTestId("delivery-status")).toHaveText("Delivered");
  await expect(row).toContainText(/: 204 in \d+ ms/);
  await row.getByRole("button", { name: "Replay" }).click();
  await expect(row.getByTestId("delivery-status")).toHaveText("Pending");
  await drainWebhooks();
  expect(receiver.received.map((r) => r.id)).toEqual([receiver.received[0]!.id, receiver.received[0]!.id]);
  await page.reload();
  await expect(row.locator("li")).toHaveCount(2);
  await snap(page, "admin-webhook-endpoint");
  await expectAccessible(page);
});

test("the webhooks pages and API are for admins and webhooks:manage keys only", async ({
  page,
  signInAs,
}) => {
  await signInAs(page, { role: "USER", accepted: true });
  const response = await page.goto("/admin/webhooks");
  expect(response?.status()).toBe(403);
  expect((await page.request.get("/api/v1/webhooks")).status()).toBe(401);
});
