import { describe, expect, it } from "vitest";
import { signUpSchema } from "@/lib/auth/schemas";
import { rightsPolicySchema } from "@/lib/rights/schemas";
import { translationFormSchema } from "@/lib/agreements/translation-schemas";
import { checkPublishRules } from "@/lib/agreements/publish-rules";
import { checkMarkdownLimits, DEFAULT_RENDER_LIMITS } from "@/lib/agreements/render/limits";
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

  it("translates a service's own field checks with their values: the publishing rules", () => {
    const rules = checkPublishRules(
      { effectiveDate: "2026-03-17", lastUpdated: "2026-03-10", changeSummary: "x", material: true },
      { at: new Date("2026-03-10T15:30:00.000Z"), noticePeriodDays: 7, latestEffectiveAt: null },
    );
    if (rules.ok) throw new Error("expected a refusal");
    const refused = fail(
      400,
      "invalid_publish",
      "The version cannot be published as entered.",
      rules.fieldErrors,
    );
    expect(refused.fieldErrors?.effectiveDate).toEqual([
      "A material change needs at least 7 days' notice: choose 2026-03-18 or later.",
    ]);
    expect(localizeFailure(refused, "zh-CN")).toMatchObject({
      message: "此版本无法按所填内容发布。",
      fieldErrors: { effectiveDate: ["重大变更至少需要提前 7 天通知：请选择 2026-03-18 或更晚的日期。"] },
    });
  });

  it("writes a text's size in the reader's language", () => {
    const refused = checkMarkdownLimits("x".repeat(12 * 1024), {
      ...DEFAULT_RENDER_LIMITS,
      maxBytes: 10 * 1024,
    });
    if (!refused) throw new Error("expected a refusal");
    const failure = fail(422, `render_${refused.code}`, refused.message, undefined, refused.values);
    expect(failure.message).toBe("The text is 12 KiB; the limit is 10 KiB.");
    expect(localizeFailure(failure, "en").message).toBe(failure.message);
    expect(localizeFailure(failure, "zh-CN").message).toBe("文本大小为 12 KiB，上限为 10 KiB。");
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

  it("keeps the message of a code or field message the catalogue does not know", () => {
    const odd = fail(400, "no_such_code", "Something specific.", { field: ["Free text from nowhere."] });
    expect(localizeFailure(odd, "zh-CN")).toMatchObject({
      message: "Something specific.",
      fieldErrors: { field: ["Free text from nowhere."] },
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
