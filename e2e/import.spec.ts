import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { test, expect } from "./fixtures";
import { DAY, isoDay } from "./helpers/dates";

const longDate = (day: string) =>
  new Intl.DateTimeFormat("en-GB", { dateStyle: "long", timeZone: "UTC" }).format(
    new Date(`${day}T00:00:00Z`),
  );

// An organisation brings its history in through the CLI, with dates that are
// past for the app (the clock is moved ahead of the latest published version,
// and back after, when they are still scheduled: later specs expect version 1
// in effect and publish a week ahead of real time).
test("versions:import brings a history in with its real dates; the public list and pages show them", async ({
  page,
  db,
  clock,
  snap,
  expectAccessible,
}) => {
  test.setTimeout(180_000);
  const { rows } = await db.query(`SELECT max(effective_at) AS latest FROM agreement_versions`);
  // Each imported text continues the latest published one, so later specs still find its wording.
  const { rows: latestText } = await db.query(
    `SELECT body_markdown FROM agreement_versions WHERE published_at IS NOT NULL ORDER BY number DESC LIMIT 1`,
  );
  const baseText = String(latestText[0].body_markdown);
  // Dated after everything published so far and within the week later specs publish ahead of
  // real time; the clock moves past them so they are history for the app, then moves back.
  const start = new Date(Math.max(Date.now() + DAY, new Date(rows[0].latest).getTime()));
  const days = [1, 3, 5].map((n) => isoDay(new Date(start.getTime() + n * DAY)));
  clock.set(start.getTime() + 6 * DAY - Date.now());

  const folder = mkdtempSync(path.join(tmpdir(), "accord-e2e-history-"));
  try {
    days.forEach((day, i) =>
      writeFileSync(
        path.join(folder, `${i + 1}.md`),
        [
          "---",
          `effective: ${day}`,
          `label: "History ${i + 1}"`,
          `summary: "Imported revision ${i + 1}."`,
          "---",
          "",
          baseText,
          "",
          `Imported history, revision ${i + 1}.${i === 0 ? " Contact {{ support_email }}." : ""}`,
          "",
        ].join("\n"),
      ),
    );
    const run = (...args: string[]) =>
      spawnSync("npx", ["tsx", "--conditions=react-server", "scripts/versions-import.ts", folder, ...args], {
        encoding: "utf8",
        env: process.env,
      });
    const dry = run("--dry-run");
    expect(dry.status).toBe(0);
    expect(dry.stdout).toContain(`1.md: would import as version`);
    expect(dry.stdout).toContain('"{{ support_email }}"');
    const imported = run();
    expect(imported.stderr).toBe("");
    expect(imported.status).toBe(0);
    expect(imported.stdout).toMatch(/Imported 3 version\(s\), skipped 0/);
    const again = run();
    expect(again.stdout).toMatch(/Imported 0 version\(s\), skipped 3 already imported/);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
  const { rows: versions } = await db.query(
    `SELECT number, label, historical FROM agreement_versions WHERE label LIKE 'History %' ORDER BY number`,
  );
  expect(versions.map((v) => [v.label, v.historical])).toEqual([
    ["History 1", true],
    ["History 2", true],
    ["History 3", true],
  ]);
  const last = versions[2].number as number;

  // The list: labels, real effective dates, the historical badge; the last import is in effect.
  await page.goto("/agreement/versions");
  for (const [i, day] of days.entries()) {
    const row = page.getByTestId("public-version").filter({ hasText: `History ${i + 1}` });
    await expect(row).toContainText(longDate(day));
    await expect(row).toContainText("Historical");
    await expect(row.locator("time")).toHaveAttribute("datetime", day);
  }
  await expect(page.getByTestId("public-version").filter({ hasText: "History 3" })).toContainText(
    "In effect",
  );
  await expect(page.getByTestId("compare-picker")).toBeVisible();
  await snap(page, "versions-list-imported");
  await expectAccessible(page);

  // The compare picker goes to the diff of the two versions chosen.
  const picker = page.getByTestId("compare-picker");
  await picker.getByLabel("Older version").selectOption(String(last - 2));
  await picker.getByLabel("Newer version").selectOption(String(last));
  await picker.getByRole("button", { name: "Compare" }).click();
  await expect(page).toHaveURL(new RegExp(`/agreement/diff\\?from=${last - 2}&to=${last}$`));

  // The version's own page and the agreement page show the imported text, effective on its real date.
  await page.goto(`/agreement/versions/${last}`);
  await expect(page.getByText("Imported history, revision 3.")).toBeVisible();
  await expect(page.locator("main")).toContainText(longDate(days[2]!));
  await page.goto("/agreement");
  await expect(page.getByText("Imported history, revision 3.")).toBeVisible();
});
