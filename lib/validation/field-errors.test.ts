// Field errors are keyed by names the input chooses: a name an object already
// has ("valueOf", "constructor", "__proto__") must be a field like any other.
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { translationFormSchema } from "@/lib/agreements/translation-schemas";
import { failureBody, invalidInput, zodFieldErrors } from "@/lib/validation/field-errors";

const errorsOf = (schema: z.ZodType, input: unknown) => {
  const parsed = schema.safeParse(input);
  if (parsed.success) throw new Error("expected the input to be refused");
  return zodFieldErrors(parsed.error);
};

describe("zodFieldErrors", () => {
  it("keeps a field named valueOf (bench/fuzz-actions.ts: saveTranslationAction answered 500 to it)", () => {
    // The exact argument the fuzzer sent, as the action's schema reads it.
    const input = JSON.parse(`{"valueOf":"${"x".repeat(10_001)}"}`) as unknown;
    const errors = errorsOf(translationFormSchema, input);
    expect(Object.hasOwn(errors, "valueOf")).toBe(true);
    expect(errors.valueOf).toHaveLength(1);
    expect(Object.keys(errors)).toEqual(
      expect.arrayContaining(["versionId", "locale", "title", "bodyMarkdown"]),
    );
  });

  it("keeps fields named after Object.prototype's members, __proto__ included, as own data", () => {
    const input = JSON.parse('{"constructor":1,"toString":2,"hasOwnProperty":3,"__proto__":4}') as unknown;
    const errors = errorsOf(z.record(z.string(), z.string()), input);
    // (zod itself skips a "__proto__" key of a record; the next test names it.)
    expect(Object.keys(errors).sort()).toEqual(["constructor", "hasOwnProperty", "toString"]);
    expect(Object.getPrototypeOf(errors)).toBe(Object.prototype);
    for (const field of Object.keys(errors)) expect(Array.isArray(errors[field])).toBe(true);
    // The JSON every API answers carries them as fields, with their codes.
    const body = JSON.parse(
      JSON.stringify(failureBody(invalidInput(z.record(z.string(), z.string()).safeParse(input).error!))),
    );
    expect(Object.keys(body.error.fieldErrors).sort()).toEqual(Object.keys(errors).sort());
    expect(Object.keys(body.error.fieldErrorCodes).sort()).toEqual(Object.keys(errors).sort());
  });

  it("keeps an issue whose path is __proto__ as an own field, without touching the prototype", () => {
    const errors = zodFieldErrors(
      new z.ZodError([{ code: "custom", path: ["__proto__"], message: "bad", input: 1 }]),
    );
    expect(Object.hasOwn(errors, "__proto__")).toBe(true);
    expect(Object.getPrototypeOf(errors)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(errors, "__proto__")?.value).toEqual(["bad"]);
  });

  it("collects several messages for one field and puts pathless issues under _form", () => {
    const schema = z.strictObject({ a: z.string().min(3).regex(/^\d+$/) });
    expect(errorsOf(schema, { a: "x" }).a).toHaveLength(2);
    expect(Object.keys(errorsOf(schema, { a: "123", b: 1 }))).toEqual(["_form"]);
  });
});
