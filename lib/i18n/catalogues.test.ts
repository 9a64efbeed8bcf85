import { describe, expect, it } from "vitest";
import { parse, TYPE, type MessageFormatElement } from "@formatjs/icu-messageformat-parser";
import en from "@/lib/i18n/messages/en";
import zhCN from "@/lib/i18n/messages/zh-CN";
import { locales } from "@/lib/i18n/locales";

type Tree = { [key: string]: string | Tree };

function flatten(tree: Tree, prefix = ""): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    if (typeof value === "string") out.set(prefix + key, value);
    else for (const [k, v] of flatten(value, `${prefix}${key}.`)) out.set(k, v);
  }
  return out;
}

/** The arguments and tags a message uses: a translation must use the same ones. */
function argumentsOf(message: string): string[] {
  const names = new Set<string>();
  const walk = (elements: MessageFormatElement[]) => {
    for (const element of elements) {
      if ("value" in element && element.type !== TYPE.literal) {
        names.add(String(element.value));
      }
      if (element.type === TYPE.plural || element.type === TYPE.select) {
        for (const option of Object.values(element.options)) walk(option.value);
      }
      if (element.type === TYPE.tag) walk(element.children);
    }
  };
  let elements: MessageFormatElement[];
  try {
    elements = parse(message);
  } catch {
    // A literal "<file>" is not a tag: read the message as next-intl formats plain text.
    elements = parse(message, { ignoreTag: true });
  }
  walk(elements);
  return [...names].sort();
}

const catalogues: Record<(typeof locales)[number], Tree> = { en: en as Tree, "zh-CN": zhCN as Tree };
const english = flatten(catalogues.en);

describe("message catalogues", () => {
  it("covers every configured locale", () => {
    expect(Object.keys(catalogues).sort()).toEqual([...locales].sort());
  });

  for (const locale of locales.filter((l) => l !== "en")) {
    const translated = flatten(catalogues[locale]);
    it(`${locale} has exactly the English keys`, () => {
      expect([...english.keys()].filter((key) => !translated.has(key))).toEqual([]);
      expect([...translated.keys()].filter((key) => !english.has(key))).toEqual([]);
    });
    it(`${locale} uses the same arguments and tags as English in every message`, () => {
      const mismatched = [...english].filter(
        ([key, message]) =>
          translated.has(key) && argumentsOf(message).join() !== argumentsOf(translated.get(key)!).join(),
      );
      expect(mismatched.map(([key]) => key)).toEqual([]);
    });
  }
});
