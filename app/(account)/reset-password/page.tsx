import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { linkWorks } from "@/lib/accounts/tokens";
import { ResetPasswordForm } from "@/components/accounts/reset-password-form";
import { InvalidLink } from "@/components/accounts/invalid-link";
import { resetPasswordAction } from "./actions";

export const metadata: Metadata = { title: "Choose a new password", referrer: "no-referrer" };

export default async function ResetPasswordPage({ searchParams }: PageProps<"/reset-password">) {
  const { token: raw } = await searchParams;
  const token = typeof raw === "string" ? raw : "";
  const t = await getTranslations("accounts");
  const works = await linkWorks(token, "RESET_PASSWORD");
  return (
    <div className="mx-auto max-w-md rounded-lg bg-white p-8 shadow-sm ring-1 ring-slate-200">
      <h1 className="text-2xl font-bold text-slate-900">{t("resetTitle")}</h1>
      {works ? (
        <>
          <p className="mt-2 text-sm text-slate-600">{t("resetIntro")}</p>
          <ResetPasswordForm action={resetPasswordAction} token={token} />
        </>
      ) : (
        <InvalidLink againHref="/forgot-password" />
      )}
    </div>
  );
}
