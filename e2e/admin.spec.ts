import { test, expect } from "./fixtures";
import { DAY, isoDay } from "./helpers/dates";
import { HOSTILE_LINES, HOSTILE_LINK_TEXT, LIVE_MARKUP, pwned } from "./helpers/hostile-markup";
import { startDraft } from "./helpers/admin-drafts";

const HOSTILE = ["Intro paragraph.", ...HOSTILE_LINES, "Outro paragraph."].join("\n\n");

test.describe("admin: the life of a draft", () => {
  test("list, draft, hostile Markdown stays inert, purposes, bad publish input, delete", async ({
    page,
    signInAs,
    db,
    snap,
    expectAccessible,
  }) => {
    test.setTimeout(120_000);
    const admin = await signInAs(page, { role: "ADMIN", accepted: true });
    await page.goto("/admin");
    await expect(page.getByRole("heading", { level: 1, name: "Agreement versions" })).toBeVisible();
    const v1Row = page.getByTestId("version-row").filter({ hasText: "Version 1" });
    await expect(v1Row.getByTestId("version-state")).toHaveText(/In effect|Superseded/);
    await snap(page, "admin-list");
    await expectAccessible(page);

    const draftId = await startDraft(page);
    await snap(page, "admin-draft-editor");
    await expectAccessible(page);

    // Hostile Markdown: the live preview and the saved draft contain none of it.
    await page.getByLabel("Agreement text (Markdown)").fill(HOSTILE);
    const preview = page.getByTestId("draft-preview");
    await expect(preview).toContainText("Outro paragraph.");
    const previewHtml = await preview.innerHTML();
    expect(previewHtml).not.toMatch(LIVE_MARKUP);
    await expect(preview.locator("a", { hasText: HOSTILE_LINK_TEXT })).not.toHaveAttribute("href", /.*/);
    await page.getByRole("button", { name: "Save draft" }).click();
    await expect(page.getByText("Draft saved.")).toBeVisible();
    await page.reload();
    expect(await page.getByTestId("draft-preview").innerHTML()).not.toMatch(LIVE_MARKUP);
    expect(await pwned(page)).toBeUndefined();
    await snap(page, "admin-draft-hostile");
    const { rows: stored } = await db.query(`SELECT body_markdown FROM agreement_versions WHERE id = $1`, [
      draftId,
    ]);
    expect(stored[0].body_markdown).toBe(HOSTILE);

    // Purposes: a bad key is a field error; add, change and retire.
    const add = page.getByRole("form", { name: "Add a purpose" });
    await add.getByLabel("Key").fill("Bad Key!");
    await add.getByLabel("Name").fill("Voice transcription");
    await add
      .getByLabel("Plain-language notice")
      .fill("We transcribe voice messages to text when you ask us to.");
    await add.getByRole("button", { name: "Add purpose" }).click();
    await expect(add.getByText(/Use 2–48 lower-case letters/)).toBeVisible();
    await add.getByLabel("Key").fill("voice-transcription");
    await add.getByRole("button", { name: "Add purpose" }).click();
    await expect(page.getByTestId("purpose-voice-transcription")).toBeVisible();
    await page.getByTestId("purpose-surveys").getByRole("button", { name: "Retire surveys" }).click();
    await expect(page.getByTestId("purpose-surveys")).toHaveCount(0);
    const { rows: keys } = await db.query(
      `SELECT key FROM purposes WHERE version_id = $1 ORDER BY position`,
      [draftId],
    );
    expect(keys.map((r) => r.key)).toContain("voice-transcription");
    expect(keys.map((r) => r.key)).not.toContain("surveys");

    // Publishing with bad input: clear field errors, nothing published.
    await page.goto(`/admin/versions/${draftId}/publish`);
    await expect(page.getByTestId("purpose-changes")).toContainText("voice-transcription");
    // Adding an optional purpose widens the scope: the page says it must be material, and why.
    await expect(page.getByTestId("publish-warnings")).toContainText(
      "This revision must be published as material",
    );
    await expect(page.getByTestId("publish-warnings")).toContainText(
      '"Voice transcription" is a new optional purpose.',
    );
    await expect(page.getByLabel("Material change")).toBeChecked();
    await expect(page.getByTestId("version-diff").locator("del").first()).toBeVisible();
    const publish = page.getByRole("form", { name: "Publish" });
    const submit = publish.getByRole("button", { name: "Publish version" });

    await publish.getByLabel("Effective date").fill(isoDay(new Date(Date.now() - 2 * DAY)));
    await publish.getByLabel("Last updated").fill(isoDay(new Date(Date.now() - 3 * DAY)));
    await publish.getByLabel("I have reviewed the changes above.").check();
    await submit.click();
    await expect(publish.getByText(/The effective date cannot be in the past/)).toBeVisible();
    await snap(page, "admin-publish-errors");
    await expectAccessible(page);

    await publish.getByLabel("Effective date").fill(isoDay(new Date(Date.now() + 30 * DAY)));
    await publish.getByLabel("Last updated").fill(isoDay(new Date()));
    await publish.getByLabel("Material change").check();
    await publish.getByLabel("I have reviewed the changes above.").check();
    await submit.click();
    await expect(publish.getByText("A material change needs a summary of what changed.")).toBeVisible();

    await publish.getByLabel("Effective date").fill(isoDay(new Date(Date.now() + 3 * DAY)));
    await publish.getByLabel("Change summary").fill("Shorter notice than allowed.");
    await publish.getByLabel("Material change").check();
    await publish.getByLabel("I have reviewed the changes above.").check();
    await submit.click();
    await expect(
      publish.getByText(
        /A material change needs at least 7 days' notice: choose \d{4}-\d{2}-\d{2} or later\./,
      ),
    ).toBeVisible();

    await publish.getByLabel("I have reviewed the changes above.").uncheck();
    await submit.click();
    await expect(publish.getByText("Confirm that you have reviewed the changes.")).toBeVisible();

    const { rows: still } = await db.query(
      `SELECT number, published_at FROM agreement_versions WHERE id = $1`,
      [draftId],
    );
    expect(still[0]).toEqual({ number: null, published_at: null });

    // A published version has no editor: it cannot be changed through the app.
    const { rows: v1 } = await db.query(`SELECT id FROM agreement_versions WHERE number = 1`);
    await page.goto(`/admin/versions/${v1[0].id}`);
    await expect(page.getByText(/A published version cannot be changed/)).toBeVisible();
    await expect(page.getByRole("button", { name: "Save draft" })).toHaveCount(0);
    await expect(page.getByLabel("Agreement text (Markdown)")).toHaveCount(0);
    await snap(page, "admin-published-version");

    // Delete the draft (after confirming), and it is gone, with an audit entry.
    await page.goto(`/admin/versions/${draftId}`);
    page.once("dialog", (dialog) => void dialog.accept());
    await page.getByRole("button", { name: "Delete draft" }).click();
    await expect(page).toHaveURL(/\/admin\?deleted=1$/);
    await expect(page.getByText("The draft was deleted.")).toBeVisible();
    const { rows: gone } = await db.query(`SELECT count(*)::int AS n FROM agreement_versions WHERE id = $1`, [
      draftId,
    ]);
    expect(gone[0].n).toBe(0);
    const { rows: audit } = await db.query(
      `SELECT action, actor_id, ip FROM audit_log WHERE target_id = $1 ORDER BY id`,
      [draftId],
    );
    expect(audit.map((a) => a.action)).toEqual([
      "agreement.draft.created",
      "agreement.draft.edited",
      "agreement.purpose.added",
      "agreement.purpose.retired",
      "agreement.draft.deleted",
    ]);
    expect(audit.every((a) => a.actor_id === admin.id && typeof a.ip === "string")).toBe(true);
  });

  test("a USER cannot reach a version's admin page", async ({ page, signInAs, db }) => {
    await signInAs(page, { accepted: true });
    const { rows } = await db.query(`SELECT id FROM agreement_versions WHERE number = 1`);
    for (const path of [`/admin/versions/${rows[0].id}`, `/admin/versions/${rows[0].id}/publish`]) {
      const response = await page.goto(path);
      expect(response?.status()).toBe(403);
    }
  });
});
