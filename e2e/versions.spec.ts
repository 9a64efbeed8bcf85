import { test, expect } from "./fixtures";
import { createDraft, updateDraft } from "@/lib/agreements/drafts";
import { publishVersion } from "@/lib/agreements/publish";
import { acceptAgreement } from "@/lib/consent/accept-agreement";
import { DAY, isoDay } from "./helpers/dates";
import { HOSTILE_LINES, HOSTILE_LINK_TEXT, LIVE_MARKUP, pwned } from "./helpers/hostile-markup";

test("public versions: list, a version's page, a word diff, the scheduled notice, and a dismissible minor notice", async ({
  page,
  makeUser,
  signIn,
  db,
  snap,
  expectAccessible,
}) => {
  test.setTimeout(120_000);
  const admin = await makeUser({ role: "ADMIN", accepted: true });
  const context = {
    actor: { id: admin.id, email: admin.email, role: admin.role },
    meta: { ipTruncated: "127.0.0.0", userAgent: "e2e" },
  };

  // A minor revision whose text carries hostile markup, published far enough ahead of anything scheduled.
  const draft = await createDraft(context);
  if (!draft.ok) throw new Error(draft.message);
  const { rows: base } = await db.query(
    `SELECT body_markdown, max_effective FROM agreement_versions,
      (SELECT max(effective_at) AS max_effective FROM agreement_versions) m WHERE id = (SELECT based_on_id FROM agreement_versions WHERE id = $1)`,
    [draft.data.id],
  );
  const body = String(base[0].body_markdown)
    .replace("we will optimize our services", "we will optimize and secure our services")
    .concat("\n\n", HOSTILE_LINES.join("\n\n"));
  const edited = await updateDraft(context, {
    versionId: draft.data.id,
    title: "User Privacy Agreement",
    bodyMarkdown: body,
  });
  if (!edited.ok) throw new Error(edited.message);
  const floor = Math.max(Date.now(), new Date(base[0].max_effective).getTime());
  const effective = new Date(floor + 40 * DAY);
  const published = await publishVersion(context, {
    versionId: draft.data.id,
    effectiveDate: isoDay(effective),
    lastUpdated: isoDay(new Date()),
    changeSummary: "Clarifies that service optimisation includes security.",
    material: false,
  });
  if (!published.ok) throw new Error(published.message);
  const n = published.data.number;

  // The list: every published version with effective date, material flag and summary.
  await page.goto("/agreement/versions");
  const entry = page.getByTestId("public-version").filter({ hasText: `Version ${n}` });
  await expect(entry).toContainText("Scheduled");
  await expect(entry).toContainText("Minor change");
  await expect(entry).toContainText("Clarifies that service optimisation includes security.");
  const first = page
    .getByTestId("public-version")
    .filter({ has: page.getByRole("link", { name: "Version 1", exact: true }) });
  await expect(first).toContainText("Material change");
  await snap(page, "versions-list");
  await expectAccessible(page);

  // The version's own page: sanitised, with the scheduled notice.
  await page.goto(`/agreement/versions/${n}`);
  await expect(page.getByTestId("agreement-version")).toHaveText(String(n));
  await expect(page.getByTestId("scheduled-notice")).toContainText("Changes take effect on");
  await expect(page.locator("article a", { hasText: HOSTILE_LINK_TEXT })).not.toHaveAttribute("href", /.*/);
  const article = await page.locator("article").innerHTML();
  expect(article).not.toMatch(LIVE_MARKUP);
  expect(await pwned(page)).toBeUndefined();
  await snap(page, "version-page");
  await expectAccessible(page);

  // The diff: summary on top; insertions and deletions marked beyond colour.
  await page.goto(`/agreement/diff?from=${n - 1}&to=${n}`);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(
    `Changes from version ${n - 1} to version ${n}`,
  );
  await expect(page.getByTestId("diff-summary")).toHaveText(
    "Clarifies that service optimisation includes security.",
  );
  const diff = page.getByTestId("version-diff");
  const inserted = diff.locator("ins").filter({ hasText: "secure" });
  await expect(inserted).toHaveCount(1);
  await expect(inserted.locator(".sr-only").first()).toHaveText("[inserted: ");
  expect(await inserted.evaluate((el) => getComputedStyle(el).textDecorationLine)).toContain("underline");
  expect(await inserted.evaluate((el) => getComputedStyle(el, "::before").content)).toBe('"+"');
  expect(await diff.innerHTML()).not.toMatch(/<script|<iframe|<img|onerror=/i);
  await snap(page, "version-diff");
  await expectAccessible(page);

  // While scheduled, /agreement says when changes take effect and links to a diff.
  await page.goto("/agreement");
  await expect(page.getByTestId("scheduled-notice")).toContainText("Changes take effect on");

  // Bad queries are answered, not crashed on.
  await page.goto("/agreement/diff?from=abc&to=2");
  await expect(page.getByText("Choose two versions to compare")).toBeVisible();
  expect((await page.goto("/agreement/versions/999999"))?.status()).toBe(404);

  // A user who accepted every material version sees a dismissible notice; dismissing is recorded.
  const user = await makeUser({ accepted: true });
  const { rows: material } = await db.query(
    `SELECT id, body_sha256 FROM agreement_versions WHERE material AND published_at IS NOT NULL ORDER BY number DESC LIMIT 1`,
  );
  const accepted = await acceptAgreement({
    subjectId: user.id,
    versionId: material[0].id,
    shownSha256: material[0].body_sha256,
    method: "WEB",
    meta: { ipTruncated: null, userAgent: "e2e", locale: "en" },
  });
  expect(accepted.ok).toBe(true);
  await signIn(page, user);
  await page.goto("/");
  const notice = page.getByTestId("reconsent-notice");
  await expect(notice).toContainText(`We made minor changes to the agreement (version ${n})`);
  await snap(page, "home-minor-notice");
  await expectAccessible(page);
  await notice.getByRole("button", { name: "Dismiss" }).click();
  await expect(page.getByText("Thanks, we will not show this notice again.")).toBeVisible();
  const { rows: ack } = await db.query(
    `SELECT e.action, e.version_number, s.acknowledged_version_number FROM consent_events e
       JOIN consent_subjects s ON s.subject_id = e.subject_id WHERE e.subject_id = $1 AND e.action = 'NOTICE_ACKNOWLEDGED'`,
    [user.id],
  );
  expect(ack).toEqual([{ action: "NOTICE_ACKNOWLEDGED", version_number: n, acknowledged_version_number: n }]);
  await page.reload();
  await expect(page.getByTestId("reconsent-notice")).toHaveCount(0);
});
