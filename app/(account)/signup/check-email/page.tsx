import type { Metadata } from "next";
import Link from "next/link";
import { getTranslations } from "next-intl/server";

export const metadata: Metadata = { title: "Check your email" };

/** What every sign-up sees, whether or not the address already had an account. */
export default async function CheckEmailPage() {
  const t = await getTranslations("accounts");
  const auth = await getTranslations("auth");
  return (
    <div className="mx-auto max-w-md rounded-lg bg-white p-8 shadow-sm ring-1 ring-slate-200">
      <h1 className="text-2xl font-bold text-slate-900">{t("checkEmailTitle")}</h1>
      <p className="mt-4 text-sm text-slate-700">{t("checkEmailBody")}</p>
      <p className="mt-4 text-sm text-slate-600">{t("checkEmailSpam")}</p>
      <p className="mt-6 text-sm">
        <Link href="/signin" className="text-brand-700 underline">
          {auth("signIn")}
        </Link>
      </p>
    </div>
  );
}
