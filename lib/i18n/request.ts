import { getRequestConfig } from "next-intl/server";
import { cookies, headers } from "next/headers";
import { negotiateLanguage } from "@/lib/http/locale";

export const locales = ["en"] as const;
export type Locale = (typeof locales)[number];
export const defaultLocale: Locale = "en";

function isLocale(value: string | undefined): value is Locale {
  return locales.some((locale) => locale === value);
}

// Locale from the user's cookie, then the browser (Accept-Language with its
// q-values, lib/http/locale.ts), then English. Simplified Chinese arrives by
// adding "zh-CN" above and lib/i18n/messages/zh-CN/.
export default getRequestConfig(async () => {
  const fromCookie = (await cookies()).get("locale")?.value;
  const fromBrowser = negotiateLanguage((await headers()).get("accept-language"), locales);
  const locale = isLocale(fromCookie) ? fromCookie : isLocale(fromBrowser) ? fromBrowser : defaultLocale;
  return { locale, messages: (await import(`./messages/${locale}/index.ts`)).default };
});
