import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { requirePageActor } from "@/lib/auth/actor";

export const metadata: Metadata = { title: "Your data" };

const LINK =
  "inline-flex rounded-md bg-brand-700 px-4 py-2 text-sm font-semibold text-white shadow-sm hover:bg-brand-800";

/** Download my data (agreement §6.1): one click for the archive, one for the readable page. */
export default async function MyDataPage() {
  await requirePageActor("/account/data");
  const t = await getTranslations("myData");
  return (
    <div className="max-w-3xl space-y-6">
      <header className="space-y-2">
        <h1 className="text-2xl font-bold text-slate-900">{t("pageTitle")}</h1>
        <p className="text-sm text-slate-700">{t("intro")}</p>
      </header>
      <ul className="space-y-5">
        <li className="space-y-1">
          {/* A plain link: the browser saves the file as it streams in. */}
          <a href="/api/v1/me/data?download=1" className={LINK} download>
            {t("downloadJson")}
          </a>
          <p className="text-sm text-slate-700">{t("downloadJsonHint")}</p>
        </li>
        <li className="space-y-1">
          <a href="/account/data/view" className={LINK}>
            {t("viewHtml")}
          </a>
          <p className="text-sm text-slate-700">{t("viewHtmlHint")}</p>
        </li>
      </ul>
      <p className="text-sm text-slate-600">{t("apiHint")}</p>
    </div>
  );
}
