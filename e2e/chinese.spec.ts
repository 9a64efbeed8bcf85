import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import canonicalize from "canonicalize";
import { test, expect } from "./fixtures";
import { startMailCatcher, type MailCatcher } from "./helpers/mail";
import { CHINESE, signInWithForm, signUpAndConfirm } from "./helpers/accounts";

let smtp: MailCatcher;
test.beforeAll(async () => {
  smtp = await startMailCatcher();
});
test.afterAll(async () => {
  await smtp.close();
});

const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");
const zhBody = readFileSync("prisma/seed-data/agreement-v1.zh-CN.md", "utf8");
const zhPurposes = JSON.parse(readFileSync("prisma/seed-data/purposes-v1.zh-CN.json", "utf8")) as Array<{
  key: string;
  name: string;
  description: string;
}>;
const zhSurveys = zhPurposes.find((p) => p.key === "surveys")!;
const zhSurveysNotice = sha256(
  canonicalize({ key: "surveys", name: zhSurveys.name, description: zhSurveys.description, basic: false }) ??
    "",
);

test.describe("Simplified Chinese", () => {
  test.use({ locale: "zh-CN" });

  test("a visitor reads the Chinese agreement, signs up, accepts, grants and withdraws, then switches to English", async ({
    page,
    db,
    baseURL,
    snap,
    expectAccessible,
  }) => {
    // Sign-up now includes a trip through the mail.
    test.slow();
    // The browser asks for Chinese: interface and agreement are in Chinese, marked as a translation.
    await page.goto("/agreement");
    await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
    await expect(
      page.getByRole("navigation", { name: "主导航" }).getByRole("link", { name: "隐私协议" }),
    ).toBeVisible();
    await expect(page.getByRole("heading", { level: 1, name: "用户隐私协议" })).toHaveAttribute(
      "lang",
      "zh-CN",
    );
    await expect(page.getByText("环信非常重视您的隐私。")).toBeVisible();
    await expect(page.getByTestId("translation-note")).toContainText("英语文本为权威文本，以其为准");
    await expect(page.getByTestId("effective-date")).toHaveText("2024年8月10日");
    await expect(page.getByTestId("agreement-sha256")).toHaveText(sha256(zhBody));
    await snap(page, "zh-agreement-1280");
    await expectAccessible(page);
    await page.setViewportSize({ width: 390, height: 844 });
    await snap(page, "zh-agreement-390");
    await expectAccessible(page);
    await page.setViewportSize({ width: 1280, height: 800 });

    // Which text prevails, one click away.
    await page.getByRole("link", { name: "阅读英语文本" }).click();
    await expect(page).toHaveURL(/\/agreement\?text=authoritative$/);
    await expect(page.getByText("Easemob places great emphasis on your privacy.")).toBeVisible();
    await expect(page.getByRole("heading", { level: 1, name: "User Privacy Agreement" })).toHaveAttribute(
      "lang",
      "en",
    );
    await expectAccessible(page);

    // Sign up in Chinese and accept the Chinese text.
    // The confirmation email arrives in Chinese; its link confirms the address.
    const email = `zh-${Date.now()}@e2e.accord.test`;
    const password = "correct horse battery staple";
    await signUpAndConfirm(page, smtp, baseURL!, { email, password, labels: CHINESE });
    await signInWithForm(page, email, password, CHINESE);
    await expect(page).toHaveURL(/\/account$/);
    const prompt = page.getByRole("region", { name: /请阅读并接受/ });
    await expect(prompt).toBeVisible();
    await snap(page, "zh-account-accept");
    await expectAccessible(page);
    await prompt.getByRole("button", { name: "我接受第 1 版" }).click();
    await expect(page.getByTestId("acceptance-status")).toContainText("您已接受第 1 版协议。");
    const user = await db.query<{ id: string; locale: string }>(
      "SELECT id, locale FROM users WHERE email = $1",
      [email],
    );
    expect(user.rows[0]!.locale).toBe("zh-CN");
    const userId = user.rows[0]!.id;
    const accepted = await db.query(
      "SELECT locale, notice_sha256 FROM consent_events WHERE subject_id = $1 AND action = 'AGREEMENT_ACCEPTED'",
      [userId],
    );
    expect(accepted.rows).toEqual([{ locale: "zh-CN", notice_sha256: sha256(zhBody) }]);

    // Grant and withdraw one purpose, shown and recorded in Chinese.
    await page.goto("/account/consent");
    await expect(page.getByRole("heading", { level: 1, name: "同意偏好" })).toBeVisible();
    const surveys = page.getByRole("switch", { name: "问卷调查" });
    await surveys.click();
    await expect(page.getByTestId("purpose-surveys").getByRole("status")).toHaveText(
      "问卷调查：已授予同意，立即生效。",
    );
    await surveys.click();
    await expect(page.getByTestId("purpose-surveys").getByRole("status")).toHaveText(
      "问卷调查：已撤回同意，立即生效。",
    );
    await snap(page, "zh-consent");
    await expectAccessible(page);
    const changes = await db.query<{ id: string; action: string; locale: string; notice_sha256: string }>(
      `SELECT id::text, action::text, locale, notice_sha256 FROM consent_events
        WHERE subject_id = $1 AND purpose_key = 'surveys' ORDER BY seq`,
      [userId],
    );
    expect(
      changes.rows.map(({ action, locale, notice_sha256 }) => ({ action, locale, notice_sha256 })),
    ).toEqual([
      { action: "PURPOSE_GRANTED", locale: "zh-CN", notice_sha256: zhSurveysNotice },
      { action: "PURPOSE_WITHDRAWN", locale: "zh-CN", notice_sha256: zhSurveysNotice },
    ]);

    // The history lists both; the receipt carries the Chinese notice's hash and language.
    await page.goto("/account/history");
    await expect(page.getByRole("heading", { level: 1, name: "我的同意记录" })).toBeVisible();
    await expect(page.getByRole("cell", { name: "已撤回", exact: true })).toBeVisible();
    await snap(page, "zh-history");
    await expectAccessible(page);
    const withdrawal = changes.rows[1]!;
    const receipt = await page.request.get(`/api/v1/me/receipts/${withdrawal.id}`);
    expect(receipt.status()).toBe(200);
    const receiptText = await receipt.text();
    expect(receiptText).toContain(zhSurveysNotice);
    expect(receiptText).toContain('"zh-CN"');

    // Switching to English: English interface and text, the same choices, remembered in the profile.
    await page.getByRole("button", { name: "English" }).click();
    await expect(page.locator("html")).toHaveAttribute("lang", "en");
    await page.goto("/account/consent");
    await expect(page.getByRole("heading", { level: 1, name: "Consent preferences" })).toBeVisible();
    await expect(page.getByRole("switch", { name: "Surveys" })).toHaveAttribute("aria-checked", "false");
    await expect(page.getByTestId("purpose-surveys").getByTestId("purpose-status")).toHaveText("Not granted");
    await page.goto("/agreement");
    await expect(page.getByText("Easemob places great emphasis on your privacy.")).toBeVisible();
    await expect(page.getByTestId("translation-note")).toHaveCount(0);
    await expectAccessible(page);
    const saved = await db.query("SELECT locale FROM users WHERE id = $1", [userId]);
    expect(saved.rows).toEqual([{ locale: "en" }]);
  });

  test("Chinese text and unbroken hashes keep the layout at 390 px", async ({ page, snap }) => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto("/agreement/versions");
    await snap(page, "zh-versions-390");
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.goto("/agreement");
    const agreementOverflow = await page.evaluate(
      () => document.documentElement.scrollWidth - window.innerWidth,
    );
    expect(agreementOverflow).toBeLessThanOrEqual(0);
  });
});
