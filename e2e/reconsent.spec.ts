import { randomUUID } from "node:crypto";
import { test, expect } from "./fixtures";
import { startMailCatcher } from "@/tests/helpers/mail-catcher";
import { drainQueue } from "@/lib/notifications/worker";
import { createMailer } from "@/lib/notifications/mailer";
import { DAY, isoDay } from "./helpers/dates";
import { changeV1Purpose } from "./helpers/consent-events";
import { startDraft } from "./helpers/admin-drafts";

test("a material version: announced with a banner and an email, then prompted once in effect", async ({
  page,
  browser,
  makeUser,
  signIn,
  clock,
  db,
  snap,
  expectAccessible,
}) => {
  test.setTimeout(180_000);
  const admin = await makeUser({ role: "ADMIN", accepted: true });
  const user = await makeUser({ accepted: true });

  // The user granted personalisation under version 1's notice.
  await changeV1Purpose(db, user.id, {
    purposeKey: "personalisation",
    action: "PURPOSE_GRANTED",
    method: "WEB",
    idempotencyKey: randomUUID(),
  });

  // 1. The admin drafts, changes text and a purpose, reviews the diff and publishes.
  await signIn(page, admin);
  await startDraft(page);
  const editor = page.getByLabel("Agreement text (Markdown)");
  const added = "Chat logs are now kept for thirty days to investigate abuse reports.";
  await editor.fill(`${await editor.inputValue()}\n\n${added}`);
  await expect(page.getByTestId("draft-preview")).toContainText(added);
  await page.getByRole("button", { name: "Save draft" }).click();
  await expect(page.getByText("Draft saved.")).toBeVisible();

  const personalisation = page.getByTestId("purpose-personalisation");
  await personalisation
    .getByLabel("Plain-language notice")
    .fill("We use your information, including your voice settings, to personalise the service.");
  await personalisation.getByRole("button", { name: "Save purpose" }).click();
  await expect(personalisation.getByText("Saved.")).toBeVisible();

  await page.getByRole("link", { name: "Review changes and publish…" }).click();
  const diff = page.getByTestId("version-diff");
  await expect(diff.locator("ins")).toContainText(added);
  await expect(page.getByTestId("purpose-changes")).toContainText("Personalisation");
  await snap(page, "admin-publish-review");
  await expectAccessible(page);

  // At least the notice period ahead, and after anything earlier specs left scheduled.
  const { rows: scheduled } = await db.query(`SELECT max(effective_at) AS latest FROM agreement_versions`);
  const effective = new Date(
    Math.max(Date.now() + 8 * DAY, new Date(scheduled[0].latest ?? 0).getTime() + DAY),
  );
  await page.getByLabel("Effective date").fill(isoDay(effective));
  await page
    .getByLabel("Change summary")
    .fill("Chat logs are kept for 30 days; personalisation now covers voice settings.");
  await page.getByLabel("Material change").check();
  await page.getByLabel("I have reviewed the changes above.").check();
  await page.getByRole("button", { name: "Publish version" }).click();
  await expect(page.getByText(/^Version \d+ is published\.$/)).toBeVisible();
  const { rows: published } = await db.query(
    `SELECT id, number FROM agreement_versions WHERE number = (SELECT max(number) FROM agreement_versions)`,
  );
  const number: number = published[0].number;
  await expect(page.getByTestId("version-state")).toHaveText("Scheduled");
  await snap(page, "admin-version-published");

  // 2. The worker sends the queued emails over SMTP; the user gets one.
  const mail = await startMailCatcher();
  try {
    await drainQueue({ mailer: createMailer({ smtpUrl: mail.url }) });
    const [email] = mail.to(user.email);
    expect(email?.subject).toContain("take effect on");
    expect(email?.text).toContain("Chat logs are kept for 30 days");
    expect(email?.text).toContain(`(${isoDay(effective)})`);
    expect(email?.text).toContain(`/agreement/diff?from=${number - 1}&to=${number}`);
  } finally {
    await mail.close();
  }
  await page.goto("/admin");
  const run = page.getByTestId("notification-run").first();
  await expect(run.getByTestId("run-sent")).toHaveText(await run.getByTestId("run-total").innerText());
  await expect(run.getByTestId("run-failed")).toHaveText("0");
  await snap(page, "admin-versions");
  await expectAccessible(page);

  // 3. Before the date: a banner on the home page and account pages, linking to the diff.
  const { rows: subject } = await db.query(
    `SELECT accepted_version_number FROM consent_subjects WHERE subject_id = $1`,
    [user.id],
  );
  const acceptedNumber: number = subject[0].accepted_version_number;
  const userContext = await browser.newContext();
  const userPage = await userContext.newPage();
  await signIn(userPage, user);
  await userPage.goto("/");
  const banner = userPage.getByTestId("reconsent-upcoming");
  await expect(banner).toContainText("The agreement changes on");
  await expect(banner).toContainText("Chat logs are kept for 30 days");
  await snap(userPage, "home-reconsent-banner");
  await expectAccessible(userPage);
  await userPage.goto("/account/history");
  await expect(userPage.getByTestId("reconsent-upcoming")).toBeVisible();
  await userPage.goto("/account");
  await expect(userPage.getByTestId("reconsent-upcoming")).toBeVisible();
  await userPage
    .getByRole("link", { name: `See every change from version ${acceptedNumber} to version ${number}` })
    .click();
  await expect(userPage.getByTestId("diff-summary")).toContainText("Chat logs are kept for 30 days");
  // Earlier specs may have published versions in between: look for this change among them.
  await expect(userPage.getByTestId("version-diff").locator("ins").filter({ hasText: added })).toHaveCount(1);

  // Declining before the date: recorded, and what follows from it is stated.
  await userPage.goto("/account");
  await userPage
    .getByTestId("reconsent-upcoming")
    .getByRole("button", { name: `I do not accept version ${number}` })
    .click();
  const early = userPage.getByTestId("decline-explanation");
  await expect(early).toContainText(`You declined version ${number} before it takes effect`);
  await expect(early).toContainText("nothing changes for you");
  await expect(early).toContainText(`the service is provided only under version ${number}`);
  await snap(userPage, "account-declined-early");
  await expectAccessible(userPage);
  const { rows: declinedEarly } = await db.query(
    `SELECT count(*)::int AS n FROM consent_events WHERE subject_id = $1 AND action = 'AGREEMENT_DECLINED' AND version_number = $2`,
    [user.id, number],
  );
  expect(declinedEarly[0].n).toBe(1);

  // 4. The clock passes the effective date: an explicit prompt, decline explained, then accept.
  clock.set(effective.getTime() - Date.now() + DAY);
  // Sessions end 12 hours after sign-in by the app's clock: sign in again after the jump.
  await signIn(userPage, user);
  await userPage.goto("/account");
  const prompt = userPage.getByRole("region", {
    name: `Please read and accept the User Privacy Agreement, version ${number}`,
  });
  await expect(prompt).toBeVisible();
  await snap(userPage, "account-reconsent-prompt");
  await expectAccessible(userPage);
  await prompt.getByRole("button", { name: "I do not accept" }).click();
  const explanation = userPage.getByTestId("decline-explanation");
  await expect(explanation).toContainText("you cannot keep using it without accepting");
  await expect(explanation.getByRole("link", { name: "Close your account" })).toHaveAttribute(
    "href",
    "/account/deregister",
  );
  await snap(userPage, "account-reconsent-declined");
  await userPage.goto("/account/history");
  await expect(userPage.getByRole("region", { name: /Please read and accept/ })).toBeVisible();
  await userPage.goto("/account");
  await userPage
    .getByRole("region", { name: /Please read and accept/ })
    .getByRole("button", { name: `I accept version ${number}` })
    .click();
  await expect(userPage.getByText(`your acceptance of version ${number} is recorded`)).toBeVisible();

  const { rows: events } = await db.query(
    `SELECT action, version_number FROM consent_events WHERE subject_id = $1 AND purpose_key IS NULL ORDER BY seq`,
    [user.id],
  );
  expect(events).toEqual([
    { action: "AGREEMENT_ACCEPTED", version_number: acceptedNumber },
    { action: "AGREEMENT_DECLINED", version_number: number },
    { action: "AGREEMENT_ACCEPTED", version_number: number },
  ]);

  // 5. The changed purpose needs consent again; the prompt is gone.
  await userPage.reload();
  await expect(userPage.getByRole("region", { name: /Please read and accept/ })).toHaveCount(0);
  await expect(userPage.getByTestId("acceptance-status")).toContainText(
    `You accepted version ${number} of the agreement.`,
  );
  await expect(userPage.getByTestId("fresh-consent-personalisation")).toHaveText("Personalisation");
  await snap(userPage, "account-fresh-consent");
  await expectAccessible(userPage);
  await userContext.close();
});
