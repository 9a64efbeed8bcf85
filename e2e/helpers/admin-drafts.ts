import { expect, type Page } from "@playwright/test";

/** As a signed-in admin: starts a draft from the latest version on /admin and returns its id. */
export async function startDraft(page: Page): Promise<string> {
  await page.goto("/admin");
  await page.getByRole("button", { name: /^New draft from version \d+$/ }).click();
  await expect(page).toHaveURL(/\/admin\/versions\/[0-9a-f-]{36}$/);
  return page.url().split("/").at(-1)!;
}
