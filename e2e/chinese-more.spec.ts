// Simplified Chinese beyond the interface's own text: the server's refusals
// shown in forms, numbers, dates and deadlines written the Chinese way, and a
// hosted flow that records the Chinese text it showed.
import { randomUUID } from "node:crypto";
import type { Page } from "@playwright/test";
import { test, expect, type TestUser } from "./fixtures";
import { createApiKey } from "@/lib/api-keys/api-keys";
import { addReturnUrl } from "@/lib/hosted/return-urls";
import { createHostedLink } from "@/lib/hosted/links";
import { saveUserLocale } from "@/lib/i18n/user-locale";

const CHINESE_DATE = /^\d{4}年\d{1,2}月\d{1,2}日$/;

/** Signs in through the Chinese sign-in page, as a user whose profile says Chinese. */
async function signInInChinese(page: Page, user: TestUser) {
  // The profile's language outranks the browser's once signed in (lib/i18n/request.ts).
  await saveUserLocale(user.id, "zh-CN");
  await page.goto("/signin");
  await page.getByLabel("电子邮箱").fill(user.email);
  await page.getByLabel("密码").fill(user.password);
  await page.getByRole("button", { name: "登录" }).click();
  await expect(page.getByTestId("signed-in-as")).toHaveText(user.email);
}

/** Screenshots at 390 px and 1280 px, and the page must not scroll sideways at 390 px. */
async function bothWidths(page: Page, name: string, snap: (page: Page, name: string) => Promise<void>) {
  await page.setViewportSize({ width: 1280, height: 800 });
  await snap(page, `${name}-1280`);
  await page.setViewportSize({ width: 390, height: 844 });
  await snap(page, `${name}-390`);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow, name).toBeLessThanOrEqual(0);
  await page.setViewportSize({ width: 1280, height: 800 });
}

test.describe("Simplified Chinese from the server", () => {
  test.use({ locale: "zh-CN" });

  test("a form shows the server's refusals in Chinese, and a taken address gets the same answer as any", async ({
    page,
    makeUser,
    snap,
    expectAccessible,
  }) => {
    await page.goto("/signup");
    await page.getByLabel("电子邮箱").fill("not-an-email");
    await page.getByLabel("密码", { exact: true }).fill("short");
    await page.getByRole("button", { name: "创建账户" }).click();
    // Checked on the server (the form does no validation of its own: noValidate).
    await expect(page.getByText("请输入有效的电子邮件地址，例如 name@example.com。")).toBeVisible();
    await expect(page.getByText("请至少使用 12 个字符。")).toBeVisible();
    await expect(page.getByText("Use at least 12 characters.")).toHaveCount(0);
    await bothWidths(page, "zh-signup-errors", snap);
    await expectAccessible(page);

    // An email that is taken gets the same answer as any other, in Chinese: sign-up reveals
    // nothing about which addresses have accounts (issue 11; the owner is mailed instead).
    const taken = await makeUser();
    await page.getByLabel("电子邮箱").fill(taken.email);
    await page.getByLabel("密码", { exact: true }).fill("correct horse battery staple");
    await page.getByRole("button", { name: "创建账户" }).click();
    await expect(page).toHaveURL(/\/signup\/check-email$/);
    await expect(page.getByRole("heading", { name: "请查收电子邮件" })).toBeVisible();
    await expect(page.getByText("已有账户使用此电子邮件地址")).toHaveCount(0);
  });

  test("a request: a Chinese refusal, then its dates and deadline written the Chinese way", async ({
    page,
    makeUser,
    db,
    snap,
    expectAccessible,
  }) => {
    const user = await makeUser({ accepted: true });
    await signInInChinese(page, user);
    await page.goto("/account/requests");
    const form = page.getByRole("form", { name: "提交申请" });
    await form.getByLabel("更正我的信息").check();
    await form.getByLabel("您的申请").fill("太短了");
    await form.getByRole("button", { name: "发送申请" }).click();
    await expect(form.getByText("请用一两句话说明您的请求。")).toBeVisible();
    // What was typed is still there to correct.
    await expect(form.getByLabel("您的申请")).toHaveValue("太短了");

    await form.getByLabel("您的申请").fill("我在档案中的电话号码有误，应以 42 结尾。");
    await form.getByRole("button", { name: "发送申请" }).click();
    // The request's own page, then the list with its deadline.
    await expect(page).toHaveURL(/\/account\/requests\/RQ-[0-9A-Z]{4}-[0-9A-Z]{4}\?opened=1$/);
    await page.goto("/account/requests");
    const table = page.getByTestId("own-requests");
    await expect(table.getByRole("row")).toHaveCount(2);
    const row = table.getByRole("row").nth(1);
    const { rows } = await db.query<{ due_at: Date; received_at: Date }>(
      `SELECT due_at, received_at FROM rights_requests r JOIN users u ON u.id = r.subject_id WHERE u.email = $1`,
      [user.email],
    );
    const days = Math.round((rows[0]!.due_at.getTime() - rows[0]!.received_at.getTime()) / 86_400_000);
    await expect(row.getByTestId("due-in")).toHaveText(`${days}天后`);
    await expect(row.locator("time").first()).toHaveText(CHINESE_DATE);
    await expect(row.locator("time").nth(1)).toHaveText(CHINESE_DATE);
    await bothWidths(page, "zh-requests", snap);
    await expectAccessible(page);
  });

  test("an admin's desk and dashboards count and date in Chinese", async ({
    page,
    makeUser,
    snap,
    expectAccessible,
  }) => {
    const admin = await makeUser({ role: "ADMIN" });
    await signInInChinese(page, admin);
    await page.goto("/admin/requests");
    await expect(page.getByRole("heading", { level: 1, name: "权利申请" })).toBeVisible();
    const dueIn = page.getByTestId("due-in");
    if ((await dueIn.count()) > 0)
      await expect(dueIn.first()).toHaveText(/^(\d+天后|\d+天前|今天|明天|昨天|后天|前天)$/);
    await bothWidths(page, "zh-desk", snap);
    await expectAccessible(page);

    // A filter the audit log refuses, explained in Chinese beside the field.
    await page.goto("/audit?purpose=telepathy");
    await expect(page.getByText("未知的用途“telepathy”。")).toBeVisible();

    await page.goto("/audit/dashboards");
    await expect(page.getByRole("heading", { level: 1, name: "仪表板" })).toBeVisible();
    // Shares as Intl writes them in Chinese: "12.5%" (no space before the sign, unlike "12.5 %").
    const shares = page.getByTestId("acceptance").locator("table td:last-child");
    await expect(shares.first()).toHaveText(/^\d{1,3}(\.\d)?%$/);
    await bothWidths(page, "zh-dashboards", snap);
    await expectAccessible(page);
  });

  test("a hosted re-consent shown in Chinese records the Chinese text and its hash", async ({
    page,
    db,
    snap,
    expectAccessible,
  }, testInfo) => {
    const accord = testInfo.project.use.baseURL!;
    const context = { actor: null, meta: null };
    const key = await createApiKey(context, {
      name: `IM ${randomUUID()}`,
      scopes: ["consent:write"],
      rateLimitPerMinute: 600,
    });
    if (!key.ok) throw new Error(key.message);
    const allowed = await addReturnUrl(context, { apiKeyId: key.data.id, urlPrefix: `${accord}/` });
    if (!allowed.ok) throw new Error(allowed.message);
    const externalId = `zh-user-${randomUUID()}`;
    const link = await createHostedLink(
      { id: key.data.id },
      { subjectId: externalId, flow: "reconsent", returnUrl: `${accord}/`, ttlSeconds: 600 },
      new Date(),
    );
    if (!link.ok) throw new Error(link.message);

    await page.goto(link.data.url);
    await expect(page.getByRole("heading", { level: 1, name: "查看并接受隐私协议" })).toBeVisible();
    await expect(page.getByText("用户隐私协议", { exact: false }).first()).toBeVisible();
    await bothWidths(page, "zh-hosted-reconsent", snap);
    await expectAccessible(page);
    await page.getByRole("button", { name: "接受并返回" }).click();
    await page.waitForURL(/accord_outcome=accepted/);

    // The event names the Chinese text of the version accepted: its language and its hash.
    const events = await db.query<{ locale: string; notice_sha256: string; translated: string | null }>(
      `SELECT e.locale, e.notice_sha256, t.body_sha256 AS translated FROM consent_events e
         JOIN external_subjects s ON s.subject_id = e.subject_id
         LEFT JOIN agreement_translations t ON t.version_id = e.version_id AND t.locale = 'zh-CN'
        WHERE s.external_id = $1 AND e.action = 'AGREEMENT_ACCEPTED'`,
      [externalId],
    );
    expect(events.rows).toHaveLength(1);
    const [event] = events.rows;
    expect(event!.locale).toBe("zh-CN");
    expect(event!.notice_sha256).toBe(event!.translated);
  });
});
