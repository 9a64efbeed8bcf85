import "server-only";
import { cookies } from "next/headers";
import { getActor } from "@/lib/auth/actor";
import { saveUserLocale } from "@/lib/i18n/user-locale";
import { LOCALE_COOKIE, type Locale } from "@/lib/i18n/locales";

const ONE_YEAR_SECONDS = 365 * 24 * 60 * 60;

/** Remembers the choice in a cookie, and in the profile of a signed-in user. */
export async function chooseLocale(locale: Locale): Promise<void> {
  (await cookies()).set(LOCALE_COOKIE, locale, {
    path: "/",
    maxAge: ONE_YEAR_SECONDS,
    sameSite: "lax",
    httpOnly: true,
  });
  const actor = await getActor();
  if (actor) await saveUserLocale(actor.id, locale);
}
