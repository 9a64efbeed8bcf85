// Rights requests (agreement §6.2, §6.6): a user opens one and is emailed its
// reference, the admin works it on the request desk, the user sees the answer.
// Moving the clock past the deadline makes it overdue on the desk and its card.
import { test, expect } from "./fixtures";
import { DAY } from "./helpers/dates";
import { appLinks, deliverMail, startMailCatcher, type MailCatcher } from "./helpers/mail";

let smtp: MailCatcher;
test.beforeAll(async () => {
  smtp = await startMailCatcher();
});
test.afterAll(async () => {
  await smtp.close();
});

test("a correction request from the form to the answer, with its emails", async ({
  page,
  browser,
  baseURL,
  signInAs,
  snap,
  expectAccessible,
  db,
}) => {
  test.setTimeout(120_000);
  const user = await signInAs(page, { accepted: true });
  await page.goto("/account");
  await page.getByRole("navigation", { name: "Account" }).getByRole("link", { name: "Requests" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "My requests" })).toBeVisible();
  await expect(page.getByText("You have not made any requests.")).toBeVisible();

  // A message that is too short: a field error, and what was chosen and typed stays.
  const form = page.getByRole("form", { name: "Make a request" });
  await form.getByLabel("Correct my information").check();
  await form.getByLabel("Your request").fill("Wrong.");
  await form.getByRole("button", { name: "Send request" }).click();
  await expect(form.getByText("Tell us in a sentence or two what you are asking for.")).toBeVisible();
  await expect(form.getByLabel("Your request")).toHaveValue("Wrong.");
  await expect(form.getByLabel("Correct my information")).toBeChecked();
  await snap(page, "requests-form-error");
  await expectAccessible(page);

  const message = "My registered phone number is wrong: it should end in 4242.";
  await form.getByLabel("Your request").fill(message);
  await form.getByRole("button", { name: "Send request" }).click();
  await expect(page).toHaveURL(/\/account\/requests\/RQ-[0-9A-Z]{4}-[0-9A-Z]{4}\?opened=1$/);
  const reference = /RQ-[0-9A-Z]{4}-[0-9A-Z]{4}/.exec(page.url())![0];
  await expect(page.getByRole("heading", { level: 1, name: `Request ${reference}` })).toBeVisible();
  await expect(page.getByRole("status")).toContainText(reference);
  await expect(page.getByTestId("request-status")).toHaveText("Received");
  await expect(page.getByText(message)).toBeVisible();
  await snap(page, "request-status");
  await expectAccessible(page);

  // The acknowledgement, through a real SMTP server; its link opens this page.
  await deliverMail(smtp, baseURL!);
  const [ack] = smtp.to(user.email).filter((m) => m.subject?.includes(reference));
  expect(ack?.subject).toBe(`We received your request ${reference}`);
  const [statusLink] = appLinks(ack?.text, baseURL!);
  await page.goto(statusLink!);
  await expect(page.getByRole("heading", { level: 1, name: `Request ${reference}` })).toBeVisible();

  // The admin's desk.
  const adminPage = await (await browser.newContext({ baseURL })).newPage();
  const admin = await signInAs(adminPage, { role: "ADMIN" });
  await adminPage.goto("/admin");
  await expect(adminPage.getByTestId("requests-card")).toBeVisible();
  await adminPage.getByRole("link", { name: "Open the request desk" }).click();
  const row = adminPage.getByTestId("desk-row").filter({ hasText: reference });
  await expect(row).toContainText(user.email);
  await expect(row).toContainText("Correct my information");
  await expect(row).not.toHaveAttribute("data-overdue");
  await snap(adminPage, "desk-queue");
  await expectAccessible(adminPage);

  await row.getByRole("link", { name: reference }).click();
  await expect(adminPage.getByRole("heading", { level: 1, name: `Request ${reference}` })).toBeVisible();
  await expect(adminPage.getByText(message)).toBeVisible();
  await adminPage.getByRole("button", { name: "Start handling this request" }).click();
  await expect(adminPage.getByTestId("request-status")).toHaveText("Being handled");
  await adminPage.getByLabel("New note").fill("Checked the records: the number ends in 4242.");
  await adminPage.getByRole("button", { name: "Add note" }).click();
  await expect(adminPage.getByTestId("request-notes")).toContainText("the number ends in 4242");
  await expect(adminPage.getByLabel("New note")).toHaveValue("");

  // Answering without choosing an outcome: a field error, the answer kept.
  const answer = "We corrected your phone number; it now ends in 4242.";
  await adminPage.getByLabel("Answer", { exact: true }).fill(answer);
  await adminPage.getByRole("button", { name: "Send the answer and close" }).click();
  await expect(adminPage.getByText("Choose whether you did what was asked.")).toBeVisible();
  await expect(adminPage.getByLabel("Answer", { exact: true })).toHaveValue(answer);
  await adminPage.getByLabel("Done: we did what was asked").check();
  await adminPage.getByRole("button", { name: "Send the answer and close" }).click();
  await expect(adminPage.getByTestId("request-status")).toHaveText("Answered");
  const steps = adminPage.getByTestId("request-steps").getByRole("listitem");
  await expect(steps).toHaveCount(4);
  await expect(steps.nth(0)).toContainText("by the user");
  await expect(steps.nth(3)).toContainText("Answered");
  await expect(steps.nth(3)).toContainText(`by ${admin.email}`);
  await snap(adminPage, "desk-request-answered");
  await expectAccessible(adminPage);

  const { rows: log } = await db.query<{ action: string }>(
    `SELECT a.action FROM audit_log a JOIN rights_requests r ON r.id::text = a.target_id
     WHERE r.reference = $1 ORDER BY a.id`,
    [reference],
  );
  expect(log.map((l) => l.action)).toEqual([
    "rights.request.opened",
    "rights.request.started",
    "rights.request.noted",
    "rights.request.completed",
  ]);

  await deliverMail(smtp, baseURL!);
  const [answered] = smtp.to(user.email).filter((m) => m.subject?.includes("has been answered"));
  expect(answered?.text).toContain(answer);
  await page.reload();
  await expect(page.getByTestId("request-outcome")).toHaveText(answer);
  await expect(page.getByTestId("request-status")).toHaveText("Answered");
});

test("a request past its deadline is overdue on the desk and its card", async ({
  page,
  browser,
  baseURL,
  signInAs,
  clock,
  snap,
}) => {
  await signInAs(page, { accepted: true });
  await page.goto("/account/requests");
  const form = page.getByRole("form", { name: "Make a request" });
  await form.getByLabel("A question about my rights").check();
  await form.getByLabel("Your request").fill("How long do you keep my consent records after I leave?");
  await form.getByRole("button", { name: "Send request" }).click();
  await expect(page).toHaveURL(/\/account\/requests\/RQ-/);
  const reference = /RQ-[0-9A-Z]{4}-[0-9A-Z]{4}/.exec(page.url())![0];

  // Sessions end 12 hours after sign-in by the app's clock: move it first, then sign in.
  clock.set(16 * DAY);
  const adminPage = await (await browser.newContext({ baseURL })).newPage();
  await signInAs(adminPage, { role: "ADMIN" });
  await adminPage.goto("/admin");
  await expect(adminPage.getByTestId("requests-overdue")).not.toHaveText("0 overdue");
  await adminPage.getByTestId("requests-overdue").click();
  const row = adminPage.getByTestId("desk-row").filter({ hasText: reference });
  await expect(row).toHaveAttribute("data-overdue", "true");
  await expect(row).toContainText("Overdue");
  await snap(adminPage, "desk-overdue");
});
