import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { linkWorks } from "@/lib/accounts/tokens";
import { TokenConfirmForm } from "@/components/accounts/token-confirm-form";
import { InvalidLink } from "@/components/accounts/invalid-link";
import { verifyEmailAction } from "./actions";

export const metadata: Metadata = { title: "Confirm your email address", referrer: "no-referrer" };

export default async function VerifyEmailPage({ searchParams }: PageProps<"/verify-email">) {
  const { token: raw } = await searchParams;
  const token = typeof raw === "string" ? raw : "";
  const t = await getTranslations("accounts");
  const works = await linkWorks(token, "VERIFY_EMAIL");
  return (
    <div className="mx-auto max-w-md rounded-lg bg-white p-8 shadow-sm ring-1 ring-slate-200">
      <h1 className="text-2xl font-bold text-slate-900">{t("verifyTitle")}</h1>
      {works ? (
        <>
          <p className="mt-2 text-sm text-slate-600">{t("verifyIntro")}</p>
          <TokenConfirmForm
            action={verifyEmailAction}
            token={token}
            label={t("verifySubmit")}
            pendingLabel={t("confirming")}
          />
        </>
      ) : (
        <InvalidLink againHref="/account" />
      )}
    </div>
  );
}
