// Accounts (issue 11): sign-up with a confirmation link, "Forgot password?",
// and changing the address and the password, through the browser. Every mail
// goes through the real outbox worker to a real SMTP server in this process,
// and the tests follow the links in what arrives.
import { test, expect } from "./fixtures";
import { startMailCatcher, type MailCatcher } from "./helpers/mail";
import { latestMail, linkFromMail, signInWithForm } from "./helpers/accounts";

let smtp: MailCatcher;
test.beforeAll(async () => {
  smtp = await startMailCatcher();
});
test.afterAll(async () => {
  await smtp.close();
});

const PASSWORD = "correct horse battery staple";

test("sign up, sign in unconfirmed (consent refused), resend, confirm through the mail, accept", async ({
  page,
  baseURL,
  db,
  snap,
  expectAccessible,
}) => {
  test.setTimeout(300_000);
  const email = `signup-${Date.now()}@e2e.accord.test`;
  await page.goto("/signup");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/signup\/check-email$/);
  await expect(page.getByRole("heading", { level: 1, name: "Check your email" })).toBeVisible();
  await snap(page, "accounts-check-email");
  await expectAccessible(page);
  const firstLink = await linkFromMail(smtp, baseURL!, email, "Confirm your email address", "/verify-email");

  // Unconfirmed: signing in works, the agreement can be read, accepting is refused with the reason.
  await signInWithForm(page, email, PASSWORD);
  await expect(page).toHaveURL(/\/account$/);
  const banner = page.getByTestId("unverified-banner");
  await expect(banner).toContainText(`We sent a link to ${email}.`);
  await snap(page, "accounts-unverified");
  await expectAccessible(page);
  await page
    .getByRole("region", { name: /Please read and accept/ })
    .getByRole("button", { name: "I accept version 1" })
    .click();
  await expect(
    page.getByRole("alert").filter({ hasText: "Confirm your email address before" }),
  ).toBeVisible();
  const events = await db.query(
    "SELECT count(*)::int AS n FROM consent_events e JOIN users u ON u.id = e.subject_id WHERE u.email = $1",
    [email],
  );
  expect(events.rows[0].n).toBe(0);

  // A new link replaces the first.
  await banner.getByRole("button", { name: "Resend the confirmation email" }).click();
  await expect(banner.getByRole("status")).toHaveText("We sent a new link. Earlier links no longer work.");
  const secondLink = await linkFromMail(smtp, baseURL!, email, "Confirm your email address", "/verify-email");
  expect(secondLink).not.toBe(firstLink);
  await page.goto(firstLink);
  await expect(page.getByRole("alert").filter({ hasText: "This link does not work any more" })).toBeVisible();

  await page.goto(secondLink);
  await expectAccessible(page);
  await page.getByRole("button", { name: "Confirm my email address" }).click();
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.getByTestId("unverified-banner")).toHaveCount(0);
  await page
    .getByRole("region", { name: /Please read and accept/ })
    .getByRole("button", { name: "I accept version 1" })
    .click();
  await expect(page.getByTestId("acceptance-status")).toContainText(
    "You accepted version 1 of the agreement.",
  );

  // The link worked once.
  await page.goto(secondLink);
  await expect(page.getByRole("alert").filter({ hasText: "This link does not work any more" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Confirm my email address" })).toHaveCount(0);
});

test("forgot password: the same answer for any address, the link resets once and ends every session", async ({
  page,
  browser,
  baseURL,
  makeUser,
  signIn,
  snap,
  expectAccessible,
}) => {
  test.setTimeout(300_000);
  const user = await makeUser({ accepted: true });
  const elsewhere = await browser.newContext();
  const otherDevice = await elsewhere.newPage();
  await signIn(otherDevice, user);

  await page.goto("/signin");
  await page.getByRole("link", { name: "Forgot password?" }).click();
  await expect(page).toHaveURL(/\/forgot-password$/);
  await expectAccessible(page);
  const form = page.locator("form");
  // An address with no account gets the same answer (and no mail).
  const nobody = `nobody-${Date.now()}@e2e.accord.test`;
  await form.getByLabel("Email").fill(nobody);
  await form.getByRole("button", { name: "Send the link" }).click();
  const sent = "If an account uses this address, we sent it a link. Check your email.";
  await expect(page.getByRole("status")).toHaveText(sent);
  await form.getByLabel("Email").fill(user.email);
  await form.getByRole("button", { name: "Send the link" }).click();
  await expect(page.getByRole("status")).toHaveText(sent);
  await expect(form.getByLabel("Email")).toHaveValue(user.email);
  await snap(page, "accounts-forgot-sent");

  const link = await linkFromMail(smtp, baseURL!, user.email, "Reset your password", "/reset-password");
  expect(smtp.to(nobody)).toEqual([]);
  await page.goto(link);
  await expectAccessible(page);
  // A field error keeps the page usable and writes nothing.
  await page.getByLabel("New password").fill("short");
  await page.getByRole("button", { name: "Set the new password" }).click();
  await expect(page.getByText("Use at least 12 characters.")).toBeVisible();
  await page.getByLabel("New password").fill("a brand new passphrase");
  await page.getByRole("button", { name: "Set the new password" }).click();
  await expect(page).toHaveURL(/\/signin\?done=reset$/);
  await expect(page.getByRole("status")).toContainText("Your password is changed");

  // The other device's session has ended.
  await otherDevice.goto("/account");
  await expect(otherDevice).toHaveURL(/\/signin\?callbackUrl=%2Faccount$/);
  await elsewhere.close();

  await signInWithForm(page, user.email, "a brand new passphrase");
  await latestMail(smtp, baseURL!, user.email, "Your password was changed");

  // The link worked once.
  await page.goto(link);
  await expect(page.getByRole("alert").filter({ hasText: "This link does not work any more" })).toBeVisible();
  await expect(page.getByLabel("New password")).toHaveCount(0);
});

test("change the address through a link to the new one, and the password, staying signed in here", async ({
  page,
  browser,
  baseURL,
  makeUser,
  signIn,
  expectAccessible,
}) => {
  test.setTimeout(300_000);
  const user = await makeUser({ accepted: true });
  const elsewhere = await browser.newContext();
  const otherDevice = await elsewhere.newPage();
  await signIn(otherDevice, user);
  await signIn(page, user);
  await page.goto("/account");
  await expect(page.getByRole("button", { name: "Sign out everywhere" })).toBeVisible();

  const emailForm = page.getByRole("form", { name: "Email address" });
  const next = `moved-${Date.now()}@e2e.accord.test`;
  await emailForm.getByLabel("New email address").fill(next);
  await emailForm.getByLabel("Current password").fill("not my password");
  await emailForm.getByRole("button", { name: "Send a confirmation link" }).click();
  await expect(emailForm.getByText("Your current password is not correct.")).toBeVisible();
  await expect(emailForm.getByLabel("New email address")).toHaveValue(next);
  await emailForm.getByLabel("Current password").fill(user.password);
  await emailForm.getByRole("button", { name: "Send a confirmation link" }).click();
  await expect(emailForm.getByRole("status")).toContainText(`We sent a link to ${next}.`);
  await expect(page.getByTestId("signed-in-as")).toHaveText(user.email);
  await expectAccessible(page);

  const confirm = await linkFromMail(
    smtp,
    baseURL!,
    next,
    "Confirm your new email address",
    "/confirm-email",
  );
  await page.goto(confirm);
  await page.getByRole("button", { name: "Use this address" }).click();
  await expect(page).toHaveURL(/\/account\?done=email$/);
  await expect(page.getByTestId("signed-in-as")).toHaveText(next);
  const notice = await latestMail(smtp, baseURL!, user.email, "Your email address was changed");
  expect(notice.text).toContain(next);
  await page.goto(confirm);
  await expect(page.getByRole("alert").filter({ hasText: "This link does not work any more" })).toBeVisible();

  // Change the password: this session continues, the other device's ends.
  await page.goto("/account");
  const passwordForm = page.getByRole("form", { name: "Password" });
  await passwordForm.getByLabel("Current password").fill(user.password);
  await passwordForm.getByLabel("New password").fill("a brand new passphrase");
  await passwordForm.getByRole("button", { name: "Change password" }).click();
  await expect(page).toHaveURL(/\/account\?done=password$/);
  await expect(page.getByRole("status").filter({ hasText: "Your password is changed." })).toHaveText(
    "Your password is changed. Your other sessions have ended.",
  );
  await expect(page.getByTestId("signed-in-as")).toHaveText(next);
  await page.reload();
  await expect(page.getByTestId("signed-in-as")).toHaveText(next);
  await otherDevice.goto("/account");
  await expect(otherDevice).toHaveURL(/\/signin\?callbackUrl=%2Faccount$/);
  await elsewhere.close();
});
