import { getRequestConfig } from "next-intl/server";
import { cookies, headers } from "next/headers";

export const locales = ["en"] as const;
export type Locale = (typeof locales)[number];
export const defaultLocale: Locale = "en";

function pick(candidate: string | undefined): Locale | undefined {
  if (!candidate) return undefined;
  const base = candidate.toLowerCase();
  return locales.find((l) => base === l || base.startsWith(`${l}-`));
}

// Locale from the user's cookie, then the browser, then English. Simplified
// Chinese arrives by adding "zh-CN" above and lib/i18n/messages/zh-CN/.
export default getRequestConfig(async () => {
  const fromCookie = pick((await cookies()).get("locale")?.value);
  const fromBrowser = (await headers())
    .get("accept-language")
    ?.split(",")
    .map((part) => pick(part.split(";")[0]?.trim()))
    .find(Boolean);
  const locale = fromCookie ?? fromBrowser ?? defaultLocale;
  return { locale, messages: (await import(`./messages/${locale}/index.ts`)).default };
});
