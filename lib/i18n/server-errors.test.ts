import { describe, expect, it } from "vitest";
import { signUpSchema } from "@/lib/auth/schemas";
import { rightsPolicySchema } from "@/lib/rights/schemas";
import { translationFormSchema } from "@/lib/agreements/translation-schemas";
import { localizeFailure } from "@/lib/i18n/server-errors";
import { fail } from "@/lib/result";
import { failureBody, invalidInput } from "@/lib/validation/field-errors";

function refusal(
  schema: { safeParse(input: unknown): { success: boolean; error?: unknown } },
  input: unknown,
) {
  const parsed = schema.safeParse(input);
  if (parsed.success) throw new Error("expected a refusal");
  return invalidInput(parsed.error as Parameters<typeof invalidInput>[0]);
}

describe("server-side messages by code", () => {
  const signUp = refusal(signUpSchema, { email: "not-an-email", password: "short" });

  it("answers a form in Chinese: the failure by its code, each field by its message's key", () => {
    const zh = localizeFailure(signUp, "zh-CN");
    expect(zh.code).toBe("invalid_input");
    expect(zh.status).toBe(400);
    expect(zh.message).toBe("部分字段需要修改。");
    expect(zh.fieldErrors).toEqual({
      email: ["请输入有效的电子邮件地址，例如 name@example.com。"],
      password: ["请至少使用 12 个字符。"],
    });
  });

  it("answers an English form with the same text the API returns", () => {
    expect(localizeFailure(signUp, "en")).toEqual(signUp);
    expect(signUp.fieldErrors?.password).toEqual(["Use at least 12 characters."]);
  });

  it("fills a message's values in each language", () => {
    const policy = refusal(rightsPolicySchema, {
      requestDeadlineDays: "0",
      deregistrationGraceDays: "5",
      consentEvidenceDays: "5000",
      sentMailDays: "1",
      rateLimitDays: "1",
      auditLogDays: "30",
    });
    expect(policy.fieldErrors?.requestDeadlineDays).toEqual(["Use at least 1 day."]);
    expect(policy.fieldErrors?.consentEvidenceDays).toEqual(["Use at most 3,650 days."]);
    const zh = localizeFailure(policy, "zh-CN");
    expect(zh.fieldErrors?.requestDeadlineDays).toEqual(["至少 1 天。"]);
    expect(zh.fieldErrors?.consentEvidenceDays).toEqual(["最多 3,650 天。"]);

    const limited = localizeFailure(
      fail(429, "rate_limited", "Too many requests. Try again in 30 seconds.", undefined, { seconds: 30 }),
      "zh-CN",
    );
    expect(limited.message).toBe("尝试次数过多，请在 30 秒后重试。");
  });

  it("keeps one translation per field when two schemas share a message", () => {
    const translation = refusal(translationFormSchema, {
      versionId: "x",
      locale: "fr",
      title: "",
      bodyMarkdown: "text",
    });
    expect(localizeFailure(translation, "zh-CN").fieldErrors).toEqual({
      versionId: ["未知的版本。"],
      locale: ["请选择 Accord 支持的语言。"],
      title: ["请输入标题。"],
    });
  });

  it("leaves an unknown code's message, and reads a message from no key as generic", () => {
    const odd = fail(400, "no_such_code", "Something specific.", { field: ["Free text from nowhere."] });
    expect(localizeFailure(odd, "zh-CN")).toMatchObject({
      message: "Something specific.",
      fieldErrors: { field: ["此项的值无效。"] },
    });
    expect(localizeFailure(odd, "en").fieldErrors).toEqual({ field: ["Free text from nowhere."] });
  });

  it("gives the JSON API each field message's stable code beside its English text", () => {
    expect(failureBody(signUp)).toEqual({
      error: {
        code: "invalid_input",
        message: "Some fields need attention.",
        fieldErrors: {
          email: ["Enter a valid email address, like name@example.com."],
          password: ["Use at least 12 characters."],
        },
        fieldErrorCodes: { email: ["emailInvalid"], password: ["passwordTooShort"] },
      },
    });
  });
});
