import { getRequestConfig } from "next-intl/server";
import { cookies, headers } from "next/headers";
import { negotiateLanguage } from "@/lib/http/locale";
import { getActor } from "@/lib/auth/actor";
import { getUserLocale } from "@/lib/i18n/user-locale";
import { defaultLocale, isLocale, LOCALE_COOKIE, locales, type Locale } from "@/lib/i18n/locales";

export { defaultLocale, locales, type Locale };

/**
 * The interface language: the choice remembered in this browser's cookie, then
 * the signed-in user's profile (a new browser), then Accept-Language with its
 * q-values (lib/http/locale.ts), then English.
 */
export async function resolveLocale(): Promise<Locale> {
  const fromCookie = (await cookies()).get(LOCALE_COOKIE)?.value;
  if (isLocale(fromCookie)) return fromCookie;
  const actor = await getActor();
  const fromProfile = actor ? await getUserLocale(actor.id) : null;
  if (fromProfile) return fromProfile;
  const fromBrowser = negotiateLanguage((await headers()).get("accept-language"), locales);
  return isLocale(fromBrowser) ? fromBrowser : defaultLocale;
}

export default getRequestConfig(async () => {
  const locale = await resolveLocale();
  return { locale, messages: (await import(`./messages/${locale}/index.ts`)).default };
});
