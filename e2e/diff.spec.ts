import { test, expect } from "./fixtures";
import { createDraft } from "@/lib/agreements/drafts";
import { publishVersion } from "@/lib/agreements/publish";
import { closeRenderPool } from "@/lib/agreements/render/pool";
import { generateCorpus, largestPair } from "@/tests/fixtures/agreements/corpus";
import { DAY, isoDay } from "./helpers/dates";

test.afterAll(() => closeRenderPool());

test("the diff of the corpus's largest pair renders by section; side by side; a picker for any two versions", async ({
  page,
  makeUser,
  db,
  snap,
  expectAccessible,
}) => {
  test.setTimeout(180_000);
  const admin = await makeUser({ role: "ADMIN", accepted: true });
  const context = {
    actor: { id: admin.id, email: admin.email, role: admin.role },
    meta: { ipTruncated: "127.0.0.0", userAgent: "e2e" },
  };
  const corpus = generateCorpus();
  const [from, to] = largestPair(corpus);
  const next = corpus[to.number]!; // the revision after the rewrite: sections reordered, most unchanged

  // Publish the pair and the revision after it, each a day after anything already scheduled, then
  // the text of version 1 again: drafts copy the latest version, and other specs edit that text.
  const { rows: original } = await db.query(
    `SELECT title, body_markdown FROM agreement_versions WHERE number = 1`,
  );
  const texts = [from, to, next].map((v) => ({ title: v.title, markdown: v.markdown, summary: v.summary }));
  texts.push({
    title: original[0].title,
    markdown: original[0].body_markdown,
    summary: "Version 1's text again.",
  });
  const numbers: number[] = [];
  for (const version of texts) {
    const draft = await createDraft(context);
    if (!draft.ok) throw new Error(draft.message);
    // The text goes straight into the draft row: this spec is about the diff, not the editor's save.
    await db.query(`UPDATE agreement_versions SET title = $1, body_markdown = $2 WHERE id = $3`, [
      version.title,
      version.markdown,
      draft.data.id,
    ]);
    const { rows } = await db.query(`SELECT max(effective_at) AS max_effective FROM agreement_versions`);
    const effective = new Date(Math.max(Date.now(), new Date(rows[0].max_effective).getTime()) + DAY);
    const published = await publishVersion(context, {
      versionId: draft.data.id,
      effectiveDate: isoDay(effective),
      lastUpdated: isoDay(new Date()),
      changeSummary: version.summary,
      material: false,
    });
    if (!published.ok) throw new Error(published.message);
    numbers.push(published.data.number);
  }
  const [a, b, c] = numbers as [number, number, number];

  // The stored consecutive diff of the full rewrite: every section keeps its heading.
  const { rows: stored } = await db.query(
    `SELECT count(*)::int AS n FROM agreement_diffs d JOIN agreement_versions v ON v.id = d.to_version_id WHERE v.number = $1`,
    [b],
  );
  expect(stored[0].n).toBe(1);
  await page.goto(`/agreement/diff?from=${a}&to=${b}`);
  const diff = page.getByTestId("version-diff");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(
    `Changes from version ${a} to version ${b}`,
  );
  const changed = diff.getByTestId("diff-section-changed");
  expect(await changed.count()).toBeGreaterThan(20);
  // Headings stay headings, one level below the page's own: the document's title, then its sections.
  await expect(changed.first().getByRole("heading", { level: 2 })).toHaveCount(1);
  await expect(diff.getByRole("heading", { level: 3, name: /How to Reach Us/ })).toBeVisible();
  await expect(page.getByTestId("diff-stats")).toContainText("sections changed");
  await snap(page, "diff-largest-pair");
  await expectAccessible(page);

  // Side by side: the older version left, the newer right.
  await page.getByRole("link", { name: "Side by side" }).click();
  await expect(page).toHaveURL(new RegExp(`from=${a}&to=${b}&view=split`));
  await expect(diff).toHaveAttribute("data-view", "split");
  await expect(diff.getByText(`Version ${a}`, { exact: true })).toBeVisible();
  await snap(page, "diff-side-by-side");
  await expectAccessible(page);

  // The next revision reorders two sections: the rest fold away, unchanged, one click from being read.
  await page.goto(`/agreement/diff?from=${b}&to=${c}`);
  const folded = diff.getByTestId("diff-section-unchanged");
  expect(await folded.count()).toBeGreaterThan(5);
  await expect(folded.first().locator("summary")).toContainText("unchanged");
  await expect(folded.first().getByRole("heading", { level: 3 })).toBeHidden();
  await folded.first().locator("summary").click();
  await expect(folded.first().getByRole("heading", { level: 3 })).toBeVisible();
  await expectAccessible(page);

  // The picker compares any two versions (this pair is computed on demand and cached).
  await page.getByTestId("diff-from").selectOption(String(a));
  await page.getByTestId("diff-to").selectOption(String(c));
  await page.getByRole("button", { name: "Compare" }).click();
  await expect(page).toHaveURL(new RegExp(`from=${a}&to=${c}`));
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(
    `Changes from version ${a} to version ${c}`,
  );
  expect(await diff.getByTestId("diff-section-changed").count()).toBeGreaterThan(20);
  const { rows: cached } = await db.query(
    `SELECT count(*)::int AS n FROM agreement_diffs d
       JOIN agreement_versions f ON f.id = d.from_version_id JOIN agreement_versions t ON t.id = d.to_version_id
      WHERE f.number = $1 AND t.number = $2`,
    [a, c],
  );
  expect(cached[0].n).toBe(1);
});
