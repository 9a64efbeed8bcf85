"use client";

import { useActionState } from "react";
import { useLocale, useTranslations } from "next-intl";
import { chooseLanguage } from "@/app/(public)/language/actions";
import { localeNames, locales } from "@/lib/i18n/locales";

/** A button per language, each in its own language; the page re-renders in the new one. */
export function LanguageSwitch() {
  const current = useLocale();
  const t = useTranslations("nav");
  const [, action, pending] = useActionState(chooseLanguage, null);
  return (
    <form action={action} aria-label={t("language")} className="flex items-center gap-1 text-sm">
      {locales.map((locale) => (
        <button
          key={locale}
          type="submit"
          name="locale"
          value={locale}
          lang={locale}
          disabled={pending}
          aria-pressed={locale === current}
          className={
            locale === current
              ? "rounded-md bg-slate-100 px-2 py-1 font-medium text-slate-900"
              : "rounded-md px-2 py-1 text-slate-700 hover:bg-slate-100 hover:underline"
          }
        >
          {localeNames[locale]}
        </button>
      ))}
    </form>
  );
}
