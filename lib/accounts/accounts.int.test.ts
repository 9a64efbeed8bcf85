// Accounts below the UI (issue 11, "Accounts"): sign-up with a confirmation
// link, password reset, change of password and of address. Every email goes
// through the real outbox worker to a real SMTP server, and the tests follow
// the links in what arrives, as the person would.
import { randomUUID } from "node:crypto";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { ParsedMail } from "mailparser";
import { usePrivateAppDatabase } from "@/tests/helpers/private-app-database";
import { startMailCatcher, type MailCatcher } from "@/tests/helpers/mail-catcher";
import { sessionCookie } from "@/tests/helpers/session-cookie";

let db: Awaited<ReturnType<typeof usePrivateAppDatabase>>;
let smtp: MailCatcher;
let signUp: typeof import("./sign-up");
let verify: typeof import("./verify-email");
let reset: typeof import("./password-reset");
let changePw: typeof import("./change-password");
let changeEmail: typeof import("./change-email");
let tokens: typeof import("./tokens");
let worker: typeof import("@/lib/notifications/worker");
let mailer: typeof import("@/lib/notifications/mailer");
let lib: typeof import("@/lib/db");
let auth: typeof import("@/lib/users/authenticate");
let session: typeof import("@/lib/auth/session");
let accept: typeof import("@/lib/consent/accept-agreement");
let purposes: typeof import("@/lib/consent/change-purpose");
let responses: typeof import("@/lib/agreements/agreement-responses");
let versions: typeof import("@/lib/agreements/versions");
let meConsent: typeof import("@/app/api/v1/me/consent/route");
let callRoute: typeof import("@/tests/helpers/route-call").callRoute;

const APP_URL = "https://accord.example";
const PASSWORD = "correct horse battery staple";
const meta = { ipTruncated: "198.51.100.0", userAgent: "vitest", locale: "en" };
const address = (label: string) => `${label}-${randomUUID()}@int.accord.test`;

beforeAll(async () => {
  smtp = await startMailCatcher();
  db = await usePrivateAppDatabase();
  [
    signUp,
    verify,
    reset,
    changePw,
    changeEmail,
    tokens,
    worker,
    mailer,
    lib,
    auth,
    session,
    accept,
    purposes,
    responses,
    versions,
    meConsent,
    { callRoute },
  ] = await Promise.all([
    import("./sign-up"),
    import("./verify-email"),
    import("./password-reset"),
    import("./change-password"),
    import("./change-email"),
    import("./tokens"),
    import("@/lib/notifications/worker"),
    import("@/lib/notifications/mailer"),
    import("@/lib/db"),
    import("@/lib/users/authenticate"),
    import("@/lib/auth/session"),
    import("@/lib/consent/accept-agreement"),
    import("@/lib/consent/change-purpose"),
    import("@/lib/agreements/agreement-responses"),
    import("@/lib/agreements/versions"),
    import("@/app/api/v1/me/consent/route"),
    import("@/tests/helpers/route-call"),
  ]);
});

afterAll(async () => {
  await db?.release();
  await smtp?.close();
});

beforeEach(() => {
  smtp.received.length = 0;
});

afterEach(() => {
  vi.useRealTimers();
});

/** Runs the real worker against the real SMTP server; returns what `email` received. */
async function mailTo(email: string): Promise<ParsedMail[]> {
  await worker.drainQueue({ mailer: mailer.createMailer({ smtpUrl: smtp.url }), appUrl: APP_URL });
  return smtp.to(email);
}

/** The token of the one link in a mail that points at `path`. */
function tokenIn(mail: ParsedMail | undefined, path: string): string {
  const link = [...(mail?.text ?? "").matchAll(/https:\/\/accord\.example\S+/g)]
    .map((m) => new URL(m[0]))
    .find((url) => url.pathname === path);
  const token = link?.searchParams.get("token");
  if (!token) throw new Error(`no ${path} link in ${mail?.text}`);
  // The HTML part carries the same link.
  expect(mail?.html).toContain(`href="${APP_URL}${path}?token=${token}"`);
  return token;
}

const user = (email: string) =>
  lib.prisma.user.findUniqueOrThrow({
    where: { email },
    select: { id: true, emailVerifiedAt: true, sessionVersion: true, locale: true },
  });

async function signedUp(email = address("new"), locale?: string) {
  expect(await signUp.registerAccount({ email, password: PASSWORD, ...(locale ? { locale } : {}) })).toEqual({
    ok: true,
    data: null,
  });
  return email;
}

async function acceptCurrent(subjectId: string) {
  const version = await versions.getVersionInEffect();
  return accept.acceptAgreement({
    subjectId,
    versionId: version!.id,
    shownSha256: version!.bodySha256,
    method: "WEB",
    meta,
  });
}

describe("sign-up and email confirmation", () => {
  it("creates an unconfirmed account that may sign in but not consent until the emailed link is followed, once", async () => {
    const email = await signedUp();
    const created = await user(email);
    expect(created.emailVerifiedAt).toBeNull();
    // Signing in works; consenting does not, on the web, in the ledger services and in the JSON API.
    const signedIn = await auth.authenticate(email, PASSWORD);
    expect(signedIn).toMatchObject({ id: created.id });
    expect(await acceptCurrent(created.id)).toMatchObject({
      ok: false,
      status: 403,
      code: "email_unverified",
    });
    const version = await versions.getVersionInEffect();
    expect(
      await responses.declineAgreement({ subjectId: created.id, versionId: version!.id, meta }),
    ).toMatchObject({ ok: false, code: "email_unverified" });
    expect(
      await purposes.changePurposeConsent({
        subjectId: created.id,
        purposeKey: "surveys",
        action: "grant",
        method: "WEB",
        meta: { ...meta, gpc: false },
        idempotencyKey: `web:${randomUUID()}`,
      }),
    ).toMatchObject({ ok: false, status: 403, code: "email_unverified" });
    const api = await callRoute(meConsent.POST, "/api/v1/me/consent", {
      method: "POST",
      headers: {
        cookie: await sessionCookie(signedIn!),
        "content-type": "application/json",
        origin: "http://localhost:3000",
      },
      body: { purposeKey: "surveys", action: "grant" },
    });
    expect(api.status).toBe(403);
    expect(JSON.stringify(api.json)).toContain("Confirm your email address");
    expect(await lib.prisma.consentEvent.count({ where: { subjectId: created.id } })).toBe(0);

    const [mail, ...more] = await mailTo(email);
    expect(more).toEqual([]);
    expect(mail!.subject).toBe("Confirm your email address");
    expect(mail!.messageId).toMatch(/^<notification-\d+@[^>]+>$/);
    const token = tokenIn(mail, "/verify-email");
    // Only the hash is stored; the secret is in neither the token table nor the outbox.
    const stored = await lib.pool.query(
      `SELECT t.token_hash, n.payload::text AS payload FROM account_tokens t
       JOIN notifications n ON n.user_id = t.user_id WHERE t.user_id = $1`,
      [created.id],
    );
    expect(stored.rows[0].token_hash).toBe(tokens.tokenHash(token));
    expect(JSON.stringify(stored.rows)).not.toContain(token);

    expect(await verify.verifyEmail(token)).toEqual({ ok: true, data: { userId: created.id } });
    expect((await user(email)).emailVerifiedAt).not.toBeNull();
    expect(await verify.verifyEmail(token)).toMatchObject({ ok: false, status: 410, code: "invalid_link" });
    expect(await acceptCurrent(created.id)).toMatchObject({ ok: true });
  });

  it("answers the same for an address that has an account, and mails its owner instead of making another", async () => {
    const email = await signedUp(address("taken"));
    await mailTo(email);
    smtp.received.length = 0;
    const before = await lib.prisma.user.count();

    expect(await signUp.registerAccount({ email, password: "another good passphrase" })).toEqual({
      ok: true,
      data: null,
    });
    expect(await lib.prisma.user.count()).toBe(before);
    const [mail, ...more] = await mailTo(email);
    expect(more).toEqual([]);
    expect(mail!.subject).toBe("You already have an account");
    expect(mail!.text).toContain(`${APP_URL}/forgot-password`);
    // The password given is not the account's now.
    expect(await auth.authenticate(email, "another good passphrase")).toBeNull();
  });

  it("a resent link replaces the earlier one, and links expire", async () => {
    const email = await signedUp();
    const { id } = await user(email);
    const [first] = await mailTo(email);
    expect(await verify.resendVerification(id)).toEqual({ ok: true, data: null });
    const second = (await mailTo(email)).at(-1);
    expect(await verify.verifyEmail(tokenIn(first, "/verify-email"))).toMatchObject({ code: "invalid_link" });
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.now() + tokens.TOKEN_LIFETIME_MS.VERIFY_EMAIL + 1000);
    expect(await verify.verifyEmail(tokenIn(second, "/verify-email"))).toMatchObject({
      code: "invalid_link",
    });
    expect((await user(email)).emailVerifiedAt).toBeNull();
  });

  it("writes the mail in the account's language", async () => {
    const email = await signedUp(address("zh"), "zh-CN");
    const [mail] = await mailTo(email);
    expect(mail!.subject).toBe("请确认您的电子邮箱地址");
    expect(mail!.text).toContain("确认我的电子邮箱地址");
    tokenIn(mail, "/verify-email");
  });
});

describe("password reset", () => {
  async function confirmedAccount() {
    const email = await signedUp(address("reset"));
    await verify.verifyEmail(tokenIn((await mailTo(email))[0], "/verify-email"));
    smtp.received.length = 0;
    return email;
  }

  it("answers the same for unknown addresses and sends them nothing", async () => {
    const unknown = address("nobody");
    expect(await reset.requestPasswordReset(unknown)).toEqual({ ok: true, data: null });
    expect(await mailTo(unknown)).toEqual([]);
    expect(
      await lib.prisma.accountToken.count({ where: { purpose: "RESET_PASSWORD", user: { email: unknown } } }),
    ).toBe(0);
  });

  it("sets the new password through the emailed link, ends every session, and the link works once", async () => {
    const email = await confirmedAccount();
    const before = await user(email);
    const oldSession = await sessionCookie({ id: before.id, sessionVersion: before.sessionVersion });
    expect(await session.readSessionActor(oldSession)).toMatchObject({ id: before.id });

    expect(await reset.requestPasswordReset(email)).toEqual({ ok: true, data: null });
    const [mail] = await mailTo(email);
    expect(mail!.subject).toBe("Reset your password");
    const token = tokenIn(mail, "/reset-password");
    const row = await lib.prisma.accountToken.findFirstOrThrow({
      where: { userId: before.id, purpose: "RESET_PASSWORD" },
    });
    expect(row.expiresAt.getTime() - row.createdAt.getTime()).toBe(30 * 60 * 1000);

    expect(await reset.resetPassword(token, "a brand new passphrase")).toEqual({
      ok: true,
      data: { userId: before.id },
    });
    expect(await auth.authenticate(email, "a brand new passphrase")).toMatchObject({ id: before.id });
    expect(await auth.authenticate(email, PASSWORD)).toBeNull();
    expect((await user(email)).sessionVersion).toBe(before.sessionVersion + 1);
    expect(await session.readSessionActor(oldSession)).toBeNull();
    // The link is spent; the owner is told the password changed.
    expect(await reset.resetPassword(token, "yet another passphrase")).toMatchObject({
      ok: false,
      status: 410,
    });
    expect(await auth.authenticate(email, "yet another passphrase")).toBeNull();
    expect((await mailTo(email)).map((m) => m.subject)).toContain("Your password was changed");
  });

  it("refuses a link past its 30 minutes, and an earlier link once a newer one is sent", async () => {
    const email = await confirmedAccount();
    await reset.requestPasswordReset(email);
    const [first] = await mailTo(email);
    await reset.requestPasswordReset(email);
    const second = (await mailTo(email)).at(-1);
    expect(
      await reset.resetPassword(tokenIn(first, "/reset-password"), "a brand new passphrase"),
    ).toMatchObject({
      code: "invalid_link",
    });
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.now() + 30 * 60 * 1000 + 1000);
    expect(
      await reset.resetPassword(tokenIn(second, "/reset-password"), "a brand new passphrase"),
    ).toMatchObject({
      code: "invalid_link",
    });
    vi.useRealTimers();
    expect(await auth.authenticate(email, PASSWORD)).not.toBeNull();
  });

  it("limits the mails one address can be sent, known or not", async () => {
    for (const email of [await confirmedAccount(), address("nobody")]) {
      for (let i = 0; i < 5; i++) expect((await reset.requestPasswordReset(email)).ok).toBe(true);
      expect(await reset.requestPasswordReset(email)).toMatchObject({ ok: false, status: 429 });
    }
  });

  it("confirms the address of an unconfirmed account (the link proves it)", async () => {
    const email = await signedUp(address("unconfirmed-reset"));
    await reset.requestPasswordReset(email);
    const mail = (await mailTo(email)).find((m) => m.subject === "Reset your password");
    await reset.resetPassword(tokenIn(mail, "/reset-password"), "a brand new passphrase");
    expect((await user(email)).emailVerifiedAt).not.toBeNull();
  });
});

describe("change of password and of address", () => {
  async function confirmedAccount() {
    const email = await signedUp(address("change"));
    await verify.verifyEmail(tokenIn((await mailTo(email))[0], "/verify-email"));
    smtp.received.length = 0;
    return { email, ...(await user(email)) };
  }

  it("changes the password only with the current one, and ends the other sessions", async () => {
    const account = await confirmedAccount();
    expect(
      await changePw.changePassword({
        userId: account.id,
        currentPassword: "wrong",
        password: "a brand new passphrase",
      }),
    ).toMatchObject({ ok: false, status: 403, fieldErrors: { currentPassword: [expect.any(String)] } });
    expect(await auth.authenticate(account.email, PASSWORD)).not.toBeNull();
    const changed = await changePw.changePassword({
      userId: account.id,
      currentPassword: PASSWORD,
      password: "a brand new passphrase",
    });
    expect(changed).toEqual({ ok: true, data: { sessionVersion: account.sessionVersion + 1 } });
    expect(await auth.authenticate(account.email, "a brand new passphrase")).not.toBeNull();
  });

  it("moves to a new address only when the link sent there is followed, once, and tells the old one", async () => {
    const account = await confirmedAccount();
    const next = address("moved");
    expect(
      await changeEmail.requestEmailChange({ userId: account.id, newEmail: next, currentPassword: "wrong" }),
    ).toMatchObject({ ok: false, status: 403 });
    expect(
      await changeEmail.requestEmailChange({ userId: account.id, newEmail: next, currentPassword: PASSWORD }),
    ).toEqual({ ok: true, data: { newEmail: next } });
    const [mail] = await mailTo(next);
    expect(mail!.subject).toBe("Confirm your new email address");
    expect(await lib.prisma.user.count({ where: { email: next } })).toBe(0);

    const token = tokenIn(mail, "/confirm-email");
    expect(await changeEmail.confirmEmailChange(token)).toEqual({
      ok: true,
      data: { userId: account.id, email: next },
    });
    expect(await changeEmail.confirmEmailChange(token)).toMatchObject({ ok: false, status: 410 });
    expect(await auth.authenticate(next, PASSWORD)).toMatchObject({ id: account.id });
    expect(await auth.authenticate(account.email, PASSWORD)).toBeNull();
    const [notice] = await mailTo(account.email);
    expect(notice!.subject).toBe("Your email address was changed");
    expect(notice!.text).toContain(next);
  });

  it("answers the same when the new address has an account, and sends it nothing", async () => {
    const account = await confirmedAccount();
    const other = await confirmedAccount();
    expect(
      await changeEmail.requestEmailChange({
        userId: account.id,
        newEmail: other.email,
        currentPassword: PASSWORD,
      }),
    ).toEqual({ ok: true, data: { newEmail: other.email } });
    expect(await mailTo(other.email)).toEqual([]);
    expect(
      await lib.prisma.accountToken.count({ where: { userId: account.id, purpose: "CHANGE_EMAIL" } }),
    ).toBe(0);
  });
});
