import type { Metadata } from "next";
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { ForgotPasswordForm } from "@/components/accounts/forgot-password-form";
import { forgotPasswordAction } from "./actions";

export const metadata: Metadata = { title: "Reset your password" };

export default async function ForgotPasswordPage() {
  const t = await getTranslations("accounts");
  const auth = await getTranslations("auth");
  return (
    <div className="mx-auto max-w-md rounded-lg bg-white p-8 shadow-sm ring-1 ring-slate-200">
      <h1 className="text-2xl font-bold text-slate-900">{t("forgotTitle")}</h1>
      <p className="mt-2 text-sm text-slate-600">{t("forgotIntro")}</p>
      <ForgotPasswordForm action={forgotPasswordAction} />
      <p className="mt-6 text-sm">
        <Link href="/signin" className="text-brand-700 underline">
          {auth("signIn")}
        </Link>
      </p>
    </div>
  );
}
