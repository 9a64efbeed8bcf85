import { describe, expect, it } from "vitest";
import { canonicalLanguageTag, negotiateLanguage, preferredLanguages } from "@/lib/http/locale";

describe("language tags", () => {
  it("accepts well-formed BCP 47 tags of at most 35 characters, in canonical case", () => {
    expect(canonicalLanguageTag("zh-hans-cn")).toBe("zh-Hans-CN");
    expect(canonicalLanguageTag("de-DE-u-co-phonebk")).toBe("de-DE-u-co-phonebk");
    expect(canonicalLanguageTag("en_US")).toBeNull();
    expect(canonicalLanguageTag("a".repeat(36))).toBeNull();
    expect(canonicalLanguageTag("")).toBeNull();
  });

  it("orders by q-value and leaves out q=0 and malformed entries", () => {
    expect(preferredLanguages("en;q=0.1, zh-CN;q=0.8, fr, de;q=0, ###")).toEqual(["fr", "zh-CN", "en"]);
  });

  it("negotiates the UI language among those available", () => {
    expect(negotiateLanguage("fr, en-GB;q=0.8", ["en"])).toBe("en");
    expect(negotiateLanguage("en;q=0, fr", ["en"])).toBeUndefined();
    expect(negotiateLanguage(null, ["en"])).toBeUndefined();
  });
});
