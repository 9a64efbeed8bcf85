"use client";

// Replaces the root layout when the layout itself fails (for a signed-in
// person, the header needs the database): its own document, styles and
// strings, since neither the layout's nor next-intl's request config ran.
// English, or Simplified Chinese when the browser prefers it.
import { useSyncExternalStore } from "react";
import { NextIntlClientProvider, useTranslations } from "next-intl";
import en from "@/lib/i18n/messages/en/errors.json";
import zhCN from "@/lib/i18n/messages/zh-CN/errors.json";
import "./globals.css";

const catalogues = { en, "zh-CN": zhCN } as const;

function Message({ retry }: { retry: () => void }) {
  const t = useTranslations("errors");
  return (
    <main
      id="main"
      role="alert"
      className="mx-auto mt-16 max-w-lg rounded-lg bg-white p-8 text-center shadow-sm ring-1 ring-slate-200"
    >
      <title>{t("unavailableTitle")}</title>
      <h1 className="text-2xl font-bold text-slate-900">{t("unavailableTitle")}</h1>
      <p className="mt-2 text-slate-700">{t("unavailableBody")}</p>
      <button
        type="button"
        onClick={() => retry()}
        className="mt-4 inline-flex items-center justify-center rounded-md bg-brand-700 px-4 py-2 text-sm font-medium text-white hover:bg-brand-900"
      >
        {t("tryAgain")}
      </button>
    </main>
  );
}

export default function GlobalError({ retry }: { error: unknown; retry: () => void }) {
  // The server renders English; the browser switches if it prefers Chinese.
  const prefersChinese = useSyncExternalStore(
    () => () => {},
    () => navigator.languages.some((language) => language.toLowerCase().startsWith("zh")),
    () => false,
  );
  const locale: keyof typeof catalogues = prefersChinese ? "zh-CN" : "en";
  return (
    <html lang={locale}>
      <body className="min-h-screen bg-slate-50">
        <NextIntlClientProvider locale={locale} messages={{ errors: catalogues[locale] }}>
          <Message retry={retry} />
        </NextIntlClientProvider>
      </body>
    </html>
  );
}
