import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, openSync } from "node:fs";
import { createServer } from "node:net";
import type pg from "pg";
import { test, expect } from "./fixtures";
import { createDraft, updateDraft } from "@/lib/agreements/drafts";
import { publishVersion } from "@/lib/agreements/publish";
import { closeRenderPool } from "@/lib/agreements/render/pool";
import { startDraft } from "./helpers/admin-drafts";
import { DAY, isoDay } from "./helpers/dates";

test.afterAll(() => closeRenderPool());

const RLO = "\u202e";
const PDF = "\u202c";
const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
const longDate = (day: string) =>
  new Intl.DateTimeFormat("en-GB", { dateStyle: "long", timeZone: "UTC" }).format(
    new Date(`${day}T00:00:00Z`),
  );

/** A day after anything already published, so this spec's versions take effect in order. */
async function nextFreeDay(db: pg.Pool, days = 1) {
  const { rows } = await db.query<{ latest: Date }>(
    `SELECT max(effective_at) AS latest FROM agreement_versions`,
  );
  return new Date(Math.max(Date.now(), new Date(rows[0]!.latest).getTime()) + days * DAY);
}

test("a text with bidi control characters is flagged on save and review, refused at publish until confirmed, and the confirmation is audited", async ({
  page,
  signInAs,
  db,
  snap,
  expectAccessible,
}) => {
  test.setTimeout(120_000);
  const admin = await signInAs(page, { role: "ADMIN", accepted: true });
  const draftId = await startDraft(page);

  // Save: the warning names the character and where it is.
  const editor = page.getByLabel("Agreement text (Markdown)");
  const text = `${await editor.inputValue()}\n\nThe fee is ${RLO}non-refundable${PDF} in every case.\n`;
  await editor.fill(text);
  await page.getByRole("button", { name: "Save draft" }).click();
  await expect(page.getByText("Draft saved.")).toBeVisible();
  const saved = page.getByTestId("content-warnings");
  await expect(saved).toContainText("2 Unicode bidirectional control characters");
  await expect(saved).toContainText("U+202E");
  await expect(page.getByTestId("draft-preview").locator("mark.bidi-control").first()).toHaveText("U+202E");

  // Review: the same warning above the form, and a confirmation box in it.
  await page.goto(`/admin/versions/${draftId}/publish`);
  await expect(page.getByTestId("content-warnings")).toContainText("U+202E");
  const publish = page.getByRole("form", { name: "Publish" });
  const effective = isoDay(await nextFreeDay(db));
  await publish.getByLabel("Effective date").fill(effective);
  await publish.getByLabel("Last updated").fill(isoDay(new Date()));
  await publish.getByLabel("I have reviewed the changes above.").check();
  await publish.getByRole("button", { name: "Publish version" }).click();

  // Refused without the confirmation: a field error on the box, nothing published.
  await expect(
    publish.getByText(/The text contains Unicode bidirectional control characters.*tick this box/),
  ).toBeVisible();
  const confirm = publish.getByLabel(
    "I confirm that the Unicode bidirectional control characters listed above are intended.",
  );
  await expect(confirm).toHaveAttribute("aria-invalid", "true");
  await snap(page, "admin-publish-bidi-refused");
  await expectAccessible(page);
  const { rows: still } = await db.query(`SELECT number FROM agreement_versions WHERE id = $1`, [draftId]);
  expect(still[0].number).toBeNull();

  // Confirmed: published, and the audit entry says what was confirmed.
  await confirm.check();
  await publish.getByLabel("I have reviewed the changes above.").check();
  await publish.getByRole("button", { name: "Publish version" }).click();
  await expect(page).toHaveURL(new RegExp(`/admin/versions/${draftId}\\?published=1$`));
  const { rows: audit } = await db.query(
    `SELECT actor_id, details FROM audit_log WHERE target_id = $1 AND action = 'agreement.version.published'`,
    [draftId],
  );
  expect(audit).toHaveLength(1);
  expect(audit[0].actor_id).toBe(admin.id);
  expect(audit[0].details.bidiControlsConfirmed).toEqual([
    { locale: null, field: "body", count: 2, codePoints: ["U+202E", "U+202C"] },
  ]);
});

/** The built app served once more, by a second process with other settings (same database and clock). */
async function startServer(env: Record<string, string>): Promise<{ url: string; child: ChildProcess }> {
  const port = await new Promise<number>((resolve) => {
    const probe = createServer().listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
  mkdirSync("test-results", { recursive: true });
  const log = openSync(`test-results/second-server-${port}.log`, "w");
  const child = spawn("node", ["--import", "tsx", "--conditions=react-server", "scripts/http-server.ts"], {
    env: { ...process.env, ...env, PORT: String(port), LISTEN_HOST: "127.0.0.1", NODE_ENV: "production" },
    stdio: ["ignore", log, log],
  });
  const url = `http://127.0.0.1:${port}`;
  // As long as Playwright gives the app's own server to start.
  await expect
    .poll(async () => (await fetch(`${url}/agreement`).catch(() => null))?.status ?? 0, { timeout: 120_000 })
    .toBe(200);
  return { url, child };
}

test("version and diff pages give the effective date in the organisation's time zone (Asia/Shanghai), not UTC", async ({
  page,
  makeUser,
  db,
}) => {
  test.setTimeout(300_000);
  const admin = await makeUser({ role: "ADMIN", accepted: true });
  const context = {
    actor: { id: admin.id, email: admin.email, role: admin.role },
    meta: { ipTruncated: "127.0.0.0", userAgent: "e2e" },
  };
  // A version published by an organisation in Shanghai: "effective D" begins at 16:00 UTC the day
  // before. Its text is the latest one without bidi controls, so later drafts copy a clean text.
  const draft = await createDraft(context);
  if (!draft.ok) throw new Error(draft.message);
  const { rows: base } = await db.query(
    `SELECT title, body_markdown FROM agreement_versions WHERE id = (SELECT based_on_id FROM agreement_versions WHERE id = $1)`,
    [draft.data.id],
  );
  const edited = await updateDraft(context, {
    versionId: draft.data.id,
    title: base[0].title,
    bodyMarkdown: `${String(base[0].body_markdown).replace(BIDI, "")}\n\nEffective where the organisation is.\n`,
  });
  if (!edited.ok) throw new Error(edited.message);
  const day = isoDay(await nextFreeDay(db, 2));
  const published = await publishVersion(
    context,
    {
      versionId: draft.data.id,
      effectiveDate: day,
      lastUpdated: isoDay(new Date()),
      changeSummary: "Published in Shanghai.",
      material: false,
    },
    { timeZone: "Asia/Shanghai" },
  );
  if (!published.ok) throw new Error(published.message);
  const n = published.data.number;
  const utcDay = published.data.effectiveAt.toISOString().slice(0, 10);
  expect(utcDay).not.toBe(day);

  // This build's own server reads dates in UTC: the day before.
  await page.goto(`/agreement/versions/${n}`);
  await expect(page.getByTestId("effective-date").locator("time")).toHaveAttribute("datetime", utcDay);

  // The same build with AGREEMENT_TIMEZONE=Asia/Shanghai: the date the organisation gave, in the
  // reader's language, on the version's page, the versions list and the diff page.
  const shanghai = await startServer({ AGREEMENT_TIMEZONE: "Asia/Shanghai" });
  try {
    await page.goto(`${shanghai.url}/agreement/versions/${n}`);
    const effective = page.getByTestId("effective-date").locator("time");
    await expect(effective).toHaveAttribute("datetime", day);
    await expect(effective).toHaveText(longDate(day));

    await page.goto(`${shanghai.url}/agreement/versions`);
    const row = page.getByTestId("public-version").filter({ hasText: "Published in Shanghai." });
    await expect(row.locator("time")).toHaveAttribute("datetime", day);

    await page.goto(`${shanghai.url}/agreement/diff?from=${n - 1}&to=${n}`);
    await expect(page.getByTestId("diff-effective")).toHaveAttribute("datetime", day);
    await expect(page.getByTestId("diff-effective")).toHaveText(longDate(day));

    // In Chinese too: the reader's language, the organisation's date.
    await page.context().addCookies([{ name: "locale", value: "zh-CN", url: shanghai.url }]);
    await page.goto(`${shanghai.url}/agreement/versions/${n}`);
    const [y, m, d] = day.split("-").map(Number);
    await expect(page.getByTestId("effective-date").locator("time")).toHaveText(`${y}年${m}月${d}日`);
  } finally {
    shanghai.child.kill();
  }
});
