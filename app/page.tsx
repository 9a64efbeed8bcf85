import Link from "next/link";
import { connection } from "next/server";
import { getTranslations } from "next-intl/server";
import { ReconsentBanner } from "@/components/reconsent/reconsent-banner";

export default async function HomePage() {
  await connection();
  const t = await getTranslations("home");
  return (
    <div className="space-y-10">
      <ReconsentBanner publicNotice />
      <section className="rounded-lg bg-white p-8 shadow-sm ring-1 ring-slate-200">
        <h1 className="text-3xl font-bold tracking-tight text-slate-900">{t("title")}</h1>
        <p className="mt-4 max-w-2xl text-lg text-slate-700">{t("intro")}</p>
        <div className="mt-6 flex flex-wrap gap-3">
          <Link
            href="/agreement"
            className="rounded-md bg-brand-700 px-4 py-2 font-medium text-white hover:bg-brand-900"
          >
            {t("readAgreement")}
          </Link>
          <Link
            href="/account"
            className="rounded-md border border-slate-300 bg-white px-4 py-2 font-medium text-slate-800 hover:bg-slate-100"
          >
            {t("manageConsent")}
          </Link>
        </div>
      </section>
      <section aria-labelledby="rights-heading" className="grid gap-4 sm:grid-cols-3">
        <h2 id="rights-heading" className="sr-only">
          {t("rightsHeading")}
        </h2>
        {(["read", "choose", "withdraw"] as const).map((key) => (
          <div key={key} className="rounded-lg bg-white p-5 shadow-sm ring-1 ring-slate-200">
            <h3 className="font-semibold text-slate-900">{t(`rights.${key}.title`)}</h3>
            <p className="mt-2 text-sm text-slate-700">{t(`rights.${key}.body`)}</p>
          </div>
        ))}
      </section>
    </div>
  );
}
