import "server-only";
import { cache } from "react";
import { prisma } from "@/lib/db";
import { isLocale, type Locale } from "@/lib/i18n/locales";

/** The language saved in a user's profile, if it is one the interface speaks. */
export const getUserLocale = cache(async (userId: string): Promise<Locale | null> => {
  const user = await prisma.user.findUnique({ where: { id: userId }, select: { locale: true } });
  return isLocale(user?.locale) ? user.locale : null;
});

/** Remembers a signed-in user's choice of language. */
export async function saveUserLocale(userId: string, locale: Locale): Promise<void> {
  await prisma.user.update({ where: { id: userId }, data: { locale } });
}
