import { test, expect } from "./fixtures";
import { startMailCatcher, type MailCatcher } from "./helpers/mail";
import { signInWithForm, signUpAndConfirm } from "./helpers/accounts";

let smtp: MailCatcher;
test.beforeAll(async () => {
  smtp = await startMailCatcher();
});
test.afterAll(async () => {
  await smtp.close();
});

test.describe("the first slice", () => {
  test("a visitor reads the agreement in effect", async ({ page, snap, expectAccessible }) => {
    await page.goto("/");
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    await snap(page, "home");
    await expectAccessible(page);

    await page.getByRole("link", { name: "Read the privacy agreement" }).click();
    await expect(page).toHaveURL(/\/agreement$/);
    await expect(page.getByRole("heading", { level: 1, name: "User Privacy Agreement" })).toBeVisible();
    await expect(page.getByTestId("effective-date")).toHaveText("10 August 2024");
    await expect(page.getByTestId("last-updated")).toHaveText("1 August 2024");
    const toc = page.getByRole("navigation", { name: "Contents" });
    for (const n of [1, 2, 3, 4, 5, 6, 7, 8]) {
      await expect(toc.getByRole("link", { name: new RegExp(`^${n}\\. `) })).toHaveCount(1);
    }
    await toc.getByRole("link", { name: /^8\. Contact Us/ }).click();
    await expect(page).toHaveURL(/#sec-8-contact-us$/);
    await expect(page.getByRole("link", { name: "support@easemob.com" })).toHaveAttribute(
      "href",
      "mailto:support@easemob.com",
    );
    await snap(page, "agreement");
    await expectAccessible(page);
  });

  test("sign up, confirm the address, accept, reload: the acceptance is in Postgres", async ({
    page,
    db,
    baseURL,
    snap,
    expectAccessible,
  }) => {
    // Sign-up now includes a trip through the mail.
    test.slow();
    const email = `new-${Date.now()}@e2e.accord.test`;
    await page.goto("/signup");
    await snap(page, "signup");
    await expectAccessible(page);
    await signUpAndConfirm(page, smtp, baseURL!, { email, password: "correct horse battery staple" });
    await signInWithForm(page, email, "correct horse battery staple");
    await expect(page).toHaveURL(/\/account$/);

    const prompt = page.getByRole("region", { name: /Please read and accept/ });
    await expect(prompt).toBeVisible();
    await snap(page, "account-accept-prompt");
    await expectAccessible(page);
    await prompt.getByRole("button", { name: "I accept version 1" }).click();
    await expect(page.getByTestId("acceptance-status")).toContainText(
      "You accepted version 1 of the agreement.",
    );

    await page.reload();
    await expect(page.getByTestId("acceptance-status")).toContainText(
      "You accepted version 1 of the agreement.",
    );
    await expect(page.getByRole("button", { name: "I accept version 1" })).toHaveCount(0);
    await snap(page, "account-accepted");

    const { rows } = await db.query(
      `SELECT e.action, e.version_number, e.notice_sha256, e.ip_truncated, e.user_agent, v.body_sha256
         FROM consent_events e JOIN users u ON u.id = e.subject_id
         JOIN agreement_versions v ON v.id = e.version_id WHERE u.email = $1`,
      [email],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ action: "AGREEMENT_ACCEPTED", version_number: 1 });
    expect(rows[0].notice_sha256).toBe(rows[0].body_sha256);
    expect(rows[0].ip_truncated).toMatch(/(\.0|::)$/);
    expect(rows[0].user_agent).toContain("Chrome");
  });

  test("the agreement's fingerprint on the page is what the ledger records", async ({
    page,
    makeUser,
    signIn,
    db,
  }) => {
    const user = await makeUser({ accepted: true });
    await page.goto("/agreement");
    const shown = await page.getByTestId("agreement-sha256").textContent();
    await signIn(page, user);
    const { rows } = await db.query(`SELECT notice_sha256 FROM consent_events WHERE subject_id = $1`, [
      user.id,
    ]);
    expect(rows.map((r) => r.notice_sha256)).toEqual([shown]);
  });
});

test.describe("accounts and roles", () => {
  test("a wrong password gets the generic error", async ({ page, makeUser, snap, expectAccessible }) => {
    const user = await makeUser();
    await page.goto("/signin");
    await page.getByLabel("Email").fill(user.email);
    await page.getByLabel("Password").fill("not-the-password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(
      page.getByRole("alert").filter({ hasText: "The email or password is incorrect." }),
    ).toBeVisible();
    await snap(page, "signin-error");
    await expectAccessible(page);

    await page.getByLabel("Email").fill("nobody-at-all@e2e.accord.test");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(
      page.getByRole("alert").filter({ hasText: "The email or password is incorrect." }),
    ).toBeVisible();
  });

  test("a USER is refused the admin and audit areas", async ({ page, signInAs, snap }) => {
    await signInAs(page);
    for (const path of ["/admin", "/audit"]) {
      const response = await page.goto(path);
      expect(response?.status()).toBe(403);
      await expect(page.getByRole("heading", { name: "You do not have access to this page" })).toBeVisible();
    }
    await snap(page, "forbidden");
  });

  test("anonymous visitors are sent to sign in and come back", async ({ page, makeUser }) => {
    const admin = await makeUser({ role: "ADMIN" });
    await page.goto("/admin");
    await expect(page).toHaveURL(/\/signin\?callbackUrl=%2Fadmin$/);
    await page.getByLabel("Email").fill(admin.email);
    await page.getByLabel("Password").fill(admin.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(/\/admin$/);
  });

  test("sign-up with bad input gives field errors and writes nothing", async ({ page, makeUser, db }) => {
    const existing = await makeUser();
    await page.goto("/signup");
    const submit = page.getByRole("button", { name: "Create account" });

    await page.getByLabel("Email").fill("not-an-email");
    await page.getByLabel("Password", { exact: true }).fill("correct horse battery staple");
    await submit.click();
    await expect(page.getByText("Enter a valid email address")).toBeVisible();

    const shortEmail = `short-${Date.now()}@e2e.accord.test`;
    await page.getByLabel("Email").fill(shortEmail);
    await page.getByLabel("Password", { exact: true }).fill("short");
    await submit.click();
    await expect(page.getByText("Use at least 12 characters.")).toBeVisible();
    // The form keeps what was typed (issue 11).
    await expect(page.getByLabel("Email")).toHaveValue(shortEmail);

    // An address that has an account: the same "check your email" as any other (issue 11).
    await page.getByLabel("Email").fill(existing.email.toUpperCase());
    await page.getByLabel("Password", { exact: true }).fill("correct horse battery staple");
    await submit.click();
    await expect(page).toHaveURL(/\/signup\/check-email$/);
    await expect(page.getByText("already exists")).toHaveCount(0);

    const { rows } = await db.query(`SELECT email FROM users WHERE email IN ($1, $2, 'not-an-email')`, [
      shortEmail,
      existing.email,
    ]);
    expect(rows).toEqual([{ email: existing.email }]);
  });
});
