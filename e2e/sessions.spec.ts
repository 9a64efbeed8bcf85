// Issue 9, findings 1 and 3, in Chromium: where sign-in and sign-out send
// people, and that a session really ends.
import { test, expect } from "./fixtures";

test.describe("redirects after sign-in (finding 1)", () => {
  test("callbackUrl=/%5Cevil.example stays on our origin, from the form and when signed in", async ({
    page,
    makeUser,
    request,
  }) => {
    // The exact request of the finding: no Location off our origin.
    const direct = await request.get("/signin?callbackUrl=/%5Cevil.example", { maxRedirects: 0 });
    expect(direct.status()).toBe(200);
    const crlf = await request.get("/signin?callbackUrl=/account%0D%0ASet-Cookie:%20x=1", {
      maxRedirects: 0,
    });
    expect(crlf.status()).toBe(200);

    const user = await makeUser();
    await page.goto("/signin?callbackUrl=/%5Cevil.example");
    await page.getByLabel("Email").fill(user.email);
    await page.getByLabel("Password").fill(user.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(/^http:\/\/127\.0\.0\.1:\d+\/account$/);

    for (const target of [
      "/%5Cevil.example",
      "//evil.example",
      "https://evil.example/",
      "/.//evil.example",
    ]) {
      await page.goto(`/signin?callbackUrl=${target}`);
      await expect(page).toHaveURL(/^http:\/\/127\.0\.0\.1:\d+\/account$/);
    }
    await page.goto("/signin?callbackUrl=%2Faccount%2Fhistory");
    await expect(page).toHaveURL(/\/account\/history$/);
  });

  test("admins land on /admin and auditors on /audit", async ({ page, makeUser, signIn }) => {
    for (const [role, home] of [
      ["ADMIN", "/admin"],
      ["AUDITOR", "/audit"],
      ["USER", "/account"],
    ] as const) {
      await page.context().clearCookies();
      await signIn(page, await makeUser({ role }));
      await expect(page).toHaveURL(new RegExp(`${home}$`));
    }
  });

  test("sign-out stays on the host the browser used", async ({ page, makeUser, baseURL }) => {
    // The app's address is 127.0.0.1; this browser came in as localhost.
    const port = new URL(baseURL as string).port;
    await page.goto(`http://localhost:${port}/signin`);
    const user = await makeUser();
    await page.getByLabel("Email").fill(user.email);
    await page.getByLabel("Password").fill(user.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByTestId("signed-in-as")).toHaveText(user.email);
    expect(new URL(page.url()).hostname).toBe("localhost");
    await page.getByRole("button", { name: "Sign out", exact: true }).click();
    await expect(page.getByRole("link", { name: "Sign in" })).toBeVisible();
    expect(new URL(page.url()).hostname).toBe("localhost");
  });
});

test.describe("sessions end (finding 3)", () => {
  test("a cookie saved before sign-out neither reads nor writes afterwards", async ({
    page,
    signInAs,
    playwright,
    baseURL,
  }) => {
    await signInAs(page, { accepted: true });
    const saved = (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join("; ");
    const replay = await playwright.request.newContext({
      baseURL,
      extraHTTPHeaders: { cookie: saved, origin: baseURL as string },
    });
    expect((await replay.get("/api/v1/me/consent")).status()).toBe(200);

    await page.getByRole("button", { name: "Sign out", exact: true }).click();
    await expect(page.getByRole("link", { name: "Sign in" })).toBeVisible();

    expect((await replay.get("/api/v1/me/consent")).status()).toBe(401);
    const write = await replay.post("/api/v1/me/consent", {
      data: { purposeKey: "third-party-sharing", action: "grant" },
    });
    expect(write.status()).toBe(401);
    // /api/auth/session no longer renews it: it answers no session and clears the cookie.
    const session = await replay.get("/api/auth/session");
    expect(await session.json()).toEqual({});
    await replay.dispose();
  });

  test("'Sign out everywhere' ends the other browser's session too", async ({
    page,
    browser,
    makeUser,
    signIn,
    snap,
    expectAccessible,
  }) => {
    const user = await makeUser({ accepted: true });
    const other = await browser.newContext();
    const otherPage = await other.newPage();
    await signIn(otherPage, user);
    await signIn(page, user);
    await page.goto("/account");
    await snap(page, "account-sessions");
    await expectAccessible(page);
    await page.getByRole("button", { name: "Sign out everywhere" }).click();
    await expect(page).toHaveURL(/\/signin$/);
    await otherPage.goto("/account");
    await expect(otherPage).toHaveURL(/\/signin\?callbackUrl=%2Faccount$/);
    await other.close();
  });
});
