import { readFileSync } from "node:fs";
import { test, expect } from "./fixtures";

const PURPOSE_NAMES = [
  "Providing the service",
  "Security, fraud prevention and disputes",
  "Personalisation",
  "Service optimisation and development",
  "Surveys",
  "Recommendations of similar features and services",
  "Use of precise location",
  "Sharing with third parties",
];

test.describe("preference centre", () => {
  test("grant and withdraw with one click each, see both in history, download a receipt", async ({
    page,
    db,
    signInAs,
    snap,
    expectAccessible,
  }) => {
    const user = await signInAs(page, { accepted: true });
    await page.goto("/account/consent");
    await expect(page.getByRole("heading", { level: 1, name: "Consent preferences" })).toBeVisible();
    for (const name of PURPOSE_NAMES)
      await expect(page.getByRole("heading", { level: 3, name })).toBeVisible();

    // Basic purposes: required, no switch, and how to leave the service instead.
    const service = page.getByTestId("purpose-service");
    await expect(service.getByTestId("purpose-status")).toHaveText("Required");
    await expect(service.getByRole("switch")).toHaveCount(0);
    await expect(service).toContainText("close (deregister) your account (agreement §6.5)");
    await expect(service.getByRole("link", { name: "Close your account" })).toHaveAttribute(
      "href",
      "/account/deregister",
    );
    await expect(page.getByRole("switch")).toHaveCount(6);
    await snap(page, "consent-preferences");
    await expectAccessible(page);

    const surveys = page.getByRole("switch", { name: "Surveys" });
    await expect(surveys).toHaveAttribute("aria-checked", "false");
    await surveys.click();
    await expect(page.getByTestId("purpose-surveys").getByRole("status")).toHaveText(
      "Surveys: consent granted. This takes effect now.",
    );
    await expect(surveys).toHaveAttribute("aria-checked", "true");
    const granted = await db.query(
      "SELECT granted, method FROM consent_states WHERE subject_id = $1 AND purpose_key = 'surveys'",
      [user.id],
    );
    expect(granted.rows).toEqual([{ granted: true, method: "WEB" }]);
    await snap(page, "consent-preferences-granted");
    await expectAccessible(page);

    await page.reload();
    await expect(surveys).toHaveAttribute("aria-checked", "true");
    await surveys.click();
    await expect(page.getByTestId("purpose-surveys").getByRole("status")).toHaveText(
      "Surveys: consent withdrawn. This takes effect now.",
    );
    await expect(surveys).toHaveAttribute("aria-checked", "false");
    await page.reload();
    await expect(surveys).toHaveAttribute("aria-checked", "false");

    await page.getByRole("navigation", { name: "Account" }).getByRole("link", { name: "History" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "My consent history" })).toBeVisible();
    const rows = page.getByTestId("history-row");
    await expect(rows).toHaveCount(3);
    await expect(rows.nth(0)).toContainText("Withdrawn");
    await expect(rows.nth(0)).toContainText("Surveys");
    await expect(rows.nth(0)).toContainText("Website");
    await expect(rows.nth(1)).toContainText("Granted");
    await expect(rows.nth(1)).toContainText("Surveys");
    await expect(rows.nth(2)).toContainText("Accepted the agreement");
    await expect(rows.nth(2)).toContainText("v1");
    await snap(page, "consent-history");
    await expectAccessible(page);

    const eventId = await rows.nth(1).getAttribute("data-event-id");
    const downloading = page.waitForEvent("download");
    await rows
      .nth(1)
      .getByRole("link", { name: /Download the receipt for entry 2/ })
      .click();
    const download = await downloading;
    expect(download.suggestedFilename()).toBe(`consent-receipt-${eventId}.json`);
    const receipt = JSON.parse(readFileSync((await download.path())!, "utf8"));
    const stored = await db.query(
      "SELECT hash, prev_hash, notice_sha256, seq FROM consent_events WHERE id = $1",
      [eventId],
    );
    expect(receipt).toMatchObject({
      version: "KI-CR-v1.1.0",
      consentReceiptID: eventId,
      piiPrincipalId: user.id,
      consentStatus: "granted",
      piiControllers: [expect.objectContaining({ piiController: "Easemob", email: "support@easemob.com" })],
      services: [{ purposes: [expect.objectContaining({ purposeKey: "surveys", consentType: "EXPLICIT" })] }],
      evidence: {
        hash: stored.rows[0].hash,
        prevHash: stored.rows[0].prev_hash,
        noticeSha256: stored.rows[0].notice_sha256,
        seq: stored.rows[0].seq,
      },
    });
  });

  test("Global Privacy Control withdraws sharing once, and a choice made after the notice is respected", async ({
    page,
    db,
    signInAs,
    snap,
    expectAccessible,
  }) => {
    const user = await signInAs(page, { accepted: true });
    await page.goto("/account/consent");
    const sharing = page.getByRole("switch", { name: "Sharing with third parties" });
    await sharing.click();
    await expect(sharing).toHaveAttribute("aria-checked", "true");
    await expect(page.getByTestId("gpc-notice")).toHaveCount(0);

    // The browser now sends Sec-GPC: 1.
    await page.setExtraHTTPHeaders({ "Sec-GPC": "1" });
    await page.reload();
    await expect(page.getByTestId("gpc-notice")).toContainText("Global Privacy Control");
    await expect(sharing).toHaveAttribute("aria-checked", "false");
    await snap(page, "consent-preferences-gpc");
    await expectAccessible(page);
    await page.reload();
    const gpcEvents = () =>
      db.query("SELECT action FROM consent_events WHERE subject_id = $1 AND method = 'GPC'", [user.id]);
    expect((await gpcEvents()).rows).toEqual([{ action: "PURPOSE_WITHDRAWN" }]);

    // Told that GPC is on, the user turns sharing on again: that choice stands.
    await sharing.click();
    await expect(sharing).toHaveAttribute("aria-checked", "true");
    await page.reload();
    await expect(sharing).toHaveAttribute("aria-checked", "true");
    expect((await gpcEvents()).rows).toHaveLength(1);

    await page.goto("/account/history");
    await expect(page.getByTestId("history-row").filter({ hasText: "Global Privacy Control" })).toHaveCount(
      1,
    );
  });
});

test.describe("consent API", () => {
  test("reads state, grants and withdraws, honours Idempotency-Key, refuses bad requests without writing", async ({
    page,
    db,
    signInAs,
  }) => {
    const user = await signInAs(page, { accepted: true });
    const api = page.request;
    const count = async () =>
      Number(
        (await db.query("SELECT count(*) FROM consent_events WHERE subject_id = $1", [user.id])).rows[0]
          .count,
      );

    const state = await api.get("/api/v1/me/consent");
    expect(state.status()).toBe(200);
    const body = await state.json();
    expect(body.acceptedVersion.number).toBe(1);
    expect(body.purposes).toHaveLength(8);
    expect(body.purposes.find((p: { key: string }) => p.key === "service")).toMatchObject({
      basic: true,
      consent: "required",
    });
    const optimisation = body.purposes.find((p: { key: string }) => p.key === "optimisation");
    expect(optimisation).toMatchObject({ granted: false, consent: "not-granted" });

    const grant = () =>
      api.post("/api/v1/me/consent", {
        data: {
          purposeKey: "optimisation",
          action: "grant",
          versionNumber: 1,
          noticeSha256: optimisation.noticeSha256,
        },
        headers: { "Idempotency-Key": "e2e-grant-optimisation" },
      });
    const first = await grant();
    expect(first.status()).toBe(200);
    expect(first.headers()["idempotent-replayed"]).toBe("false");
    const again = await grant();
    expect(again.status()).toBe(200);
    expect(again.headers()["idempotent-replayed"]).toBe("true");
    expect(await again.json()).toEqual(await first.json());
    expect((await first.json()).purpose).toEqual({ key: "optimisation", granted: true });
    expect(await count()).toBe(2);

    const withdraw = await api.post("/api/v1/me/consent", {
      data: { purposeKey: "optimisation", action: "withdraw" },
    });
    expect(withdraw.status()).toBe(200);
    expect((await withdraw.json()).event).toMatchObject({
      action: "PURPOSE_WITHDRAWN",
      method: "API",
      seq: 3,
    });
    expect(
      (await (await api.get("/api/v1/me/consent")).json()).purposes.find(
        (p: { key: string }) => p.key === "optimisation",
      ).granted,
    ).toBe(false);

    const refusals: [unknown, number, string][] = [
      [{ purposeKey: "telepathy", action: "grant" }, 404, "unknown_purpose"],
      [{ purposeKey: "service", action: "withdraw" }, 422, "basic_purpose"],
      [{ purposeKey: "surveys", action: "grant", versionNumber: 7 }, 409, "stale_version"],
      [{ purposeKey: "surveys", action: "grant", noticeSha256: "0".repeat(64) }, 409, "stale_notice"],
      [{ purposeKey: "surveys", action: "maybe" }, 400, "invalid_input"],
      [{ purposeKey: "surveys" }, 400, "invalid_input"],
      [{ purposeKey: "surveys", action: "grant", subjectId: user.id }, 400, "invalid_input"],
      [[1, 2, 3], 400, "invalid_input"],
    ];
    for (const [data, status, code] of refusals) {
      const response = await api.post("/api/v1/me/consent", { data });
      expect(response.status(), JSON.stringify(data)).toBe(status);
      expect((await response.json()).error).toMatchObject({ code, message: expect.any(String) });
    }
    const notJson = await api.post("/api/v1/me/consent", {
      data: "grant surveys",
      headers: { "Content-Type": "text/plain" },
    });
    expect(notJson.status()).toBe(415);
    expect((await notJson.json()).error.code).toBe("unsupported_media_type");
    const brokenJson = await api.post("/api/v1/me/consent", {
      data: Buffer.from("{grant surveys"),
      headers: { "Content-Type": "application/json" },
    });
    expect(brokenJson.status()).toBe(400);
    expect((await brokenJson.json()).error.code).toBe("invalid_json");
    const badKey = await api.post("/api/v1/me/consent", {
      data: { purposeKey: "surveys", action: "grant" },
      headers: { "Idempotency-Key": "has spaces and ünïcode" },
    });
    expect(badKey.status()).toBe(400);
    expect(await count()).toBe(3);

    const events = await (await api.get("/api/v1/me/events")).json();
    expect(events.events.map((e: { seq: number; action: string }) => [e.seq, e.action])).toEqual([
      [3, "PURPOSE_WITHDRAWN"],
      [2, "PURPOSE_GRANTED"],
      [1, "AGREEMENT_ACCEPTED"],
    ]);
    const receipt = await api.get(events.events[0].receiptUrl);
    expect(receipt.status()).toBe(200);
    expect(receipt.headers()["content-disposition"]).toContain("attachment");
    expect((await receipt.json()).consentStatus).toBe("withdrawn");
  });

  test("answers 401 to anonymous callers and sends anonymous visitors to sign in", async ({
    page,
    playwright,
    baseURL,
  }) => {
    const anonymous = await playwright.request.newContext({ baseURL });
    expect((await anonymous.get("/api/v1/me/consent")).status()).toBe(401);
    expect(
      (
        await anonymous.post("/api/v1/me/consent", { data: { purposeKey: "surveys", action: "grant" } })
      ).status(),
    ).toBe(401);
    expect((await anonymous.get("/api/v1/me/events")).status()).toBe(401);
    await anonymous.dispose();
    await page.goto("/account/consent");
    await expect(page).toHaveURL(/\/signin\?callbackUrl=%2Faccount%2Fconsent/);
    await page.goto("/account/history");
    await expect(page).toHaveURL(/\/signin\?callbackUrl=%2Faccount%2Fhistory/);
  });
});
