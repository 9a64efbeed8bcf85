import { readFileSync, writeFileSync } from "node:fs";
import { verifyExportFile } from "@/lib/ledger/export/verify-export-file";
import { test, expect, type TestUser } from "./fixtures";
import type pg from "pg";
import { changeV1Purpose } from "./helpers/consent-events";

/** A user with an acceptance and three purpose changes: four events in their chain. */
async function userWithHistory(makeUser: (o: { accepted: boolean }) => Promise<TestUser>, db: pg.Pool) {
  const user = await makeUser({ accepted: true });
  const changes = [
    { purposeKey: "surveys", action: "PURPOSE_GRANTED", method: "WEB" },
    { purposeKey: "recommendations", action: "PURPOSE_GRANTED", method: "API" },
    { purposeKey: "surveys", action: "PURPOSE_WITHDRAWN", method: "WEB" },
  ] as const;
  for (const [i, change] of changes.entries()) {
    await changeV1Purpose(db, user.id, { ...change, idempotencyKey: `e2e-audit-${i}` });
  }
  return user;
}

test.describe("the consent log explorer", () => {
  test("an auditor filters, pages with a cursor, counts on request and opens the evidence", async ({
    page,
    makeUser,
    signInAs,
    db,
    snap,
    expectAccessible,
  }) => {
    const subject = await userWithHistory(makeUser, db);
    await signInAs(page, { role: "AUDITOR" });

    await page.goto("/audit");
    await expect(page.getByRole("heading", { level: 1, name: "Consent log" })).toBeVisible();
    await page.getByLabel("User", { exact: true }).fill(subject.email);
    await page.getByRole("button", { name: "Apply filters" }).click();
    await expect(page.getByTestId("event-row")).toHaveCount(4);
    // Newest first: the withdrawal, then the grants, then the acceptance.
    await expect(page.getByTestId("event-row").first()).toContainText("Purpose withdrawn");
    await expect(page.getByTestId("event-row").last()).toContainText("Agreement accepted");
    await snap(page, "audit-explorer");
    await expectAccessible(page);

    // Two per page: keyset cursor, no count until asked.
    await page.goto(`/audit?user=${encodeURIComponent(subject.email)}&limit=2`);
    await expect(page.getByTestId("event-row")).toHaveCount(2);
    await expect(page.getByTestId("event-count")).toHaveCount(0);
    await page.getByRole("link", { name: "Older events" }).click();
    await expect(page).toHaveURL(/cursor=/);
    await expect(page.getByTestId("event-row")).toHaveCount(2);
    await expect(page.getByTestId("event-row").last()).toContainText("Agreement accepted");
    await expect(page.getByRole("link", { name: "Older events" })).toHaveCount(0);
    await page.getByRole("link", { name: "Count matching events" }).click();
    await expect(page.getByTestId("event-count")).toHaveText("4 events match these filters.");

    // Filters combine: purpose + action + method.
    await page.goto(`/audit?user=${subject.id}&purpose=surveys&action=PURPOSE_GRANTED&method=WEB`);
    await expect(page.getByTestId("event-row")).toHaveCount(1);
    await page.getByTestId("event-row").getByRole("link").click();
    await expect(page.getByRole("heading", { level: 1, name: "Consent event evidence" })).toBeVisible();
    const checks = page.getByTestId("evidence-checks");
    await expect(checks).toContainText("The hash recomputed from the fields matches the stored hash✓ Yes");
    await expect(checks).toContainText("The event links to the previous event of this subject✓ Yes");
    await expect(checks).toContainText(
      "The notice fingerprint is the one this agreement version declares✓ Yes",
    );
    await expect(page.getByTestId("evidence-fields")).toContainText("surveys");
    await expect(page.getByTestId("canonical-json")).toContainText(`"subjectId":"${subject.id}"`);
    await snap(page, "audit-evidence");
    await expectAccessible(page);

    const receipt = await page.request.get(
      (await page.getByRole("link", { name: "Download the consent receipt (JSON)" }).getAttribute("href")) ??
        "",
    );
    expect(receipt.status()).toBe(200);
    expect(JSON.stringify(await receipt.json())).toContain("surveys");
  });

  test("malformed filters get a clear message on the page and a 400 with the reason from the API", async ({
    page,
    signInAs,
    snap,
    expectAccessible,
  }) => {
    await signInAs(page, { role: "AUDITOR" });
    const response = await page.goto("/audit?from=2024-02-30&purpose=telepathy&action=PURPOSE_GRANTED");
    expect(response?.status()).toBe(200);
    await expect(page.getByRole("alert").filter({ hasText: "Some filters need attention" })).toBeVisible();
    await expect(page.getByText(/Enter a date .*as yyyy-mm-dd/)).toBeVisible();
    await expect(page.getByText('Unknown purpose "telepathy".')).toBeVisible();
    await expect(page.getByTestId("event-row")).toHaveCount(0);
    await snap(page, "audit-explorer-invalid");
    await expectAccessible(page);

    const cases: [string, string, RegExp][] = [
      ["from=2024-02-30", "from", /yyyy-mm-dd/],
      ["from=yesterday", "from", /yyyy-mm-dd/],
      ["to=2024-13-01", "to", /yyyy-mm-dd/],
      ["from=2025-05-02&to=2025-05-01", "to", /before its start/],
      ["purpose=telepathy", "purpose", /Unknown purpose "telepathy"/],
      ["action=DELETED", "action", /Unknown action/],
      ["method=FAX", "method", /Unknown method/],
      ["version=two", "version", /version number/],
      ["version=0", "version", /from 1/],
      ["user=not-an-email", "user", /email address or their id/],
      ["cursor=bm9wZQ", "cursor", /cursor is malformed/],
      ["limit=5000", "limit", /at most 200/],
    ];
    for (const [query, field, reason] of cases) {
      for (const route of ["/api/v1/audit/events", "/api/v1/audit/exports"]) {
        if (route.endsWith("exports") && (field === "cursor" || field === "limit")) continue;
        const result = await page.request.get(`${route}?format=csv&${query}`);
        expect(result.status(), `${route}?${query}`).toBe(400);
        const body = (await result.json()) as {
          error: { code: string; fieldErrors: Record<string, string[]> };
        };
        expect(body.error.code).toBe("invalid_input");
        expect(body.error.fieldErrors[field]?.join(" "), `${route}?${query}`).toMatch(reason);
      }
    }
    const noFormat = await page.request.get("/api/v1/audit/exports");
    expect(noFormat.status()).toBe(400);
    expect(
      ((await noFormat.json()) as { error: { fieldErrors: Record<string, string[]> } }).error.fieldErrors
        .format,
    ).toBeTruthy();
  });
});

test.describe("exports", () => {
  test("CSV and NDJSON downloads stream, carry a manifest, verify offline and are in the audit log", async ({
    page,
    makeUser,
    signInAs,
    db,
    snap,
    expectAccessible,
  }, testInfo) => {
    const subject = await userWithHistory(makeUser, db);
    const auditor = await signInAs(page, { role: "AUDITOR" });
    await page.goto(`/audit?user=${encodeURIComponent(subject.email)}`);

    for (const [format, label] of [
      ["csv", "Download CSV"],
      ["ndjson", "Download NDJSON"],
    ] as const) {
      const [download] = await Promise.all([
        page.waitForEvent("download"),
        page.getByRole("link", { name: label, exact: true }).click(),
      ]);
      const file = testInfo.outputPath(`export.${format}`);
      await download.saveAs(file);
      const manifestHref = await page
        .getByRole("link", {
          name: format === "csv" ? "Manifest of this CSV export" : "Manifest of this NDJSON export",
          exact: true,
        })
        .getAttribute("href");
      const manifestResponse = await page.request.get(manifestHref ?? "");
      expect(manifestResponse.status()).toBe(200);
      const manifest = (await manifestResponse.json()) as {
        rowCount: number;
        filters: Record<string, string>;
        exportedBy: { email: string };
      };
      expect(manifest).toMatchObject({
        rowCount: 4,
        filters: { user: subject.email },
        exportedBy: { email: auditor.email },
      });
      if (format === "csv") writeFileSync(`${file}.manifest.json`, JSON.stringify(manifest));
      else expect(readFileSync(file, "utf8").trim().split("\n").at(-1)).toContain('"type":"manifest"');

      const report = await verifyExportFile(file);
      expect(report.problems).toEqual([]);
      expect(report).toMatchObject({ ok: true, rows: 4, linksChecked: 4 });
    }

    // The spreadsheet-safe CSV (issue 9 finding 10) verifies with its manifest too.
    const [safeDownload] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("link", { name: "Download CSV for spreadsheets", exact: true }).click(),
    ]);
    const safeFile = testInfo.outputPath("export-spreadsheet.csv");
    await safeDownload.saveAs(safeFile);
    const safeManifestHref = await page
      .getByRole("link", { name: "Manifest of this spreadsheet CSV", exact: true })
      .getAttribute("href");
    const safeManifest = await (await page.request.get(safeManifestHref ?? "")).json();
    expect(safeManifest).toMatchObject({ spreadsheetSafe: true, rowCount: 4 });
    writeFileSync(`${safeFile}.manifest.json`, JSON.stringify(safeManifest));
    expect((await verifyExportFile(safeFile)).problems).toEqual([]);

    // The whole ledger of this test database verifies too, against the log's signed checkpoint.
    const all = await page.request.get("/api/v1/audit/exports?format=ndjson");
    expect(all.headers()["content-type"]).toContain("application/x-ndjson");
    const file = testInfo.outputPath("all.ndjson");
    writeFileSync(file, await all.body());
    const report = await verifyExportFile(file);
    expect(report.problems).toEqual([]);
    expect(report.log).toMatchObject({ rootRecomputed: true });

    const { rows } = await db.query(`SELECT action FROM audit_log WHERE actor_id = $1 ORDER BY id`, [
      auditor.id,
    ]);
    expect(rows.map((r) => r.action)).toEqual([
      "audit.export.started",
      "audit.export.completed",
      "audit.export.started",
      "audit.export.completed",
      "audit.export.started",
      "audit.export.completed",
      "audit.export.started",
      "audit.export.completed",
    ]);

    await page.goto("/audit/exports");
    await expect(page.getByTestId("export-row").filter({ hasText: auditor.email })).toHaveCount(4);
    await expect(
      page
        .getByTestId("export-row")
        .filter({ hasText: `user=${subject.email}` })
        .first(),
    ).toContainText("Completed");
    await snap(page, "audit-exports");
    await expectAccessible(page);
  });
});

test.describe("dashboards", () => {
  test("charts with their numbers in tables", async ({
    page,
    makeUser,
    signInAs,
    db,
    snap,
    expectAccessible,
  }) => {
    await userWithHistory(makeUser, db);
    await signInAs(page, { role: "ADMIN" });
    await page.goto("/audit/dashboards?weeks=8");
    await expect(page.getByRole("heading", { level: 1, name: "Dashboards" })).toBeVisible();
    for (const id of ["acceptance", "reconsent", "purposes"]) {
      await expect(page.getByTestId(id).locator("svg.recharts-surface").first()).toBeVisible();
    }
    await snap(page, "audit-dashboards");
    for (const id of ["acceptance", "reconsent", "purposes"]) {
      const card = page.getByTestId(id);
      await card.getByText("Show the numbers as a table").click();
      await expect(card.getByRole("table")).toBeVisible();
    }
    await expect(page.getByTestId("acceptance").getByRole("table").locator("tbody tr")).toHaveCount(8);
    // This week's row: the users who accepted v1 are counted among the active users.
    const lastWeek = page.getByTestId("acceptance").getByRole("table").locator("tbody tr").last();
    const [active, accepted] = await Promise.all([
      lastWeek.locator("td").nth(1).textContent(),
      lastWeek.locator("td").nth(2).textContent(),
    ]);
    expect(Number(accepted)).toBeGreaterThan(0);
    expect(Number(accepted)).toBeLessThanOrEqual(Number(active));
    const surveysRows = page
      .getByTestId("purposes")
      .getByRole("table")
      .locator("tbody tr")
      .filter({ hasText: "surveys" });
    await expect(surveysRows).toHaveCount(8);
    await expect(surveysRows.last().locator("td").nth(1)).not.toHaveText("0");
    await expect(surveysRows.last().locator("td").nth(2)).not.toHaveText("0");
    await expectAccessible(page);

    await page.goto("/audit/dashboards?weeks=lots");
    await expect(
      page.getByRole("alert").filter({ hasText: "The number of weeks is not valid" }),
    ).toBeVisible();
    const api = await page.request.get("/api/v1/audit/dashboards?weeks=1000");
    expect(api.status()).toBe(400);
  });
});
