// Messages outside React (emails, the worker): the same catalogues the pages
// use, through next-intl's createTranslator, imported from its React-free core
// (use-intl/core): the worker and the log's sequencer run under tsx with the
// react-server condition, where "next-intl" pulls in React client hooks and
// fails to load ("react does not provide an export named useEffect").
import { createTranslator, type NamespaceKeys, type NestedKeyOf } from "use-intl/core";
import en from "@/lib/i18n/messages/en";
import zhCN from "@/lib/i18n/messages/zh-CN";
import { defaultLocale, isLocale, type Locale } from "@/lib/i18n/locales";

// Typed by the English catalogue; lib/i18n/catalogues.test.ts keeps the others complete.
const catalogues: Record<Locale, typeof en> = { en, "zh-CN": zhCN as unknown as typeof en };

/** The interface language for a stored preference (a user's profile), English when unknown. */
export function interfaceLocale(value: string | null | undefined): Locale {
  if (isLocale(value)) return value;
  const language = value?.toLowerCase().split("-")[0];
  return language === "zh" ? "zh-CN" : defaultLocale;
}

type Messages = typeof en;

export function translatorFor<N extends NamespaceKeys<Messages, NestedKeyOf<Messages>>>(
  locale: Locale,
  namespace: N,
) {
  return createTranslator<Messages, N>({ locale, messages: catalogues[locale], namespace });
}
