// Account emails in end-to-end tests: deliver the outbox to the test's SMTP
// server, then follow the one link a message carries, as its reader would.
import { expect, type Page } from "@playwright/test";
import { appLinks, deliverMail, type MailCatcher } from "./mail";

/** Delivers the outbox and returns the newest mail to `email` whose subject is `subject`. */
export async function latestMail(smtp: MailCatcher, baseURL: string, email: string, subject: string) {
  await deliverMail(smtp, baseURL);
  const mail = smtp
    .to(email)
    .filter((m) => m.subject === subject)
    .at(-1);
  expect(mail, `a mail "${subject}" to ${email}`).toBeDefined();
  return mail!;
}

/** The link in the newest mail `subject` to `email` that opens `path`. */
export async function linkFromMail(
  smtp: MailCatcher,
  baseURL: string,
  email: string,
  subject: string,
  path: string,
): Promise<string> {
  const mail = await latestMail(smtp, baseURL, email, subject);
  const link = appLinks(mail.text, baseURL).find((url) => new URL(url).pathname === path);
  expect(link, `a ${path} link in "${subject}"`).toBeDefined();
  return link!;
}

/** Signs up through the form and confirms the address through the emailed link; ends on the sign-in page. */
export async function signUpAndConfirm(
  page: Page,
  smtp: MailCatcher,
  baseURL: string,
  { email, password, labels = ENGLISH }: { email: string; password: string; labels?: Labels },
) {
  await page.goto("/signup");
  await page.getByLabel(labels.email).fill(email);
  await page.getByLabel(labels.password, { exact: true }).fill(password);
  await page.getByRole("button", { name: labels.create }).click();
  await expect(page).toHaveURL(/\/signup\/check-email$/);
  await expect(page.getByRole("heading", { level: 1, name: labels.checkEmail })).toBeVisible();
  await page.goto(await linkFromMail(smtp, baseURL, email, labels.verifySubject, "/verify-email"));
  await page.getByRole("button", { name: labels.confirm }).click();
  await expect(page).toHaveURL(/\/signin\?done=verified$/);
}

/** Signs in through the form and waits for the account page. */
export async function signInWithForm(page: Page, email: string, password: string, labels: Labels = ENGLISH) {
  await page.goto("/signin");
  await page.getByLabel(labels.email).fill(email);
  await page.getByLabel(labels.password, { exact: true }).fill(password);
  await page.getByRole("button", { name: labels.signIn, exact: true }).click();
  await expect(page.getByTestId("signed-in-as")).toHaveText(email);
}

export interface Labels {
  email: string;
  password: string;
  create: string;
  checkEmail: string;
  verifySubject: string;
  confirm: string;
  signIn: string;
}

export const ENGLISH: Labels = {
  email: "Email",
  password: "Password",
  create: "Create account",
  checkEmail: "Check your email",
  verifySubject: "Confirm your email address",
  confirm: "Confirm my email address",
  signIn: "Sign in",
};

export const CHINESE: Labels = {
  email: "电子邮箱",
  password: "密码",
  create: "创建账户",
  checkEmail: "请查收电子邮件",
  verifySubject: "请确认您的电子邮箱地址",
  confirm: "确认我的电子邮箱地址",
  signIn: "登录",
};
