import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { getActor } from "@/lib/auth/actor";
import { SignUpForm } from "@/components/auth/sign-up-form";
import { signUp } from "./actions";

export const metadata: Metadata = { title: "Create an account" };

export default async function SignUpPage() {
  if (await getActor()) redirect("/account");
  const t = await getTranslations("auth");
  return (
    <div className="mx-auto max-w-md rounded-lg bg-white p-8 shadow-sm ring-1 ring-slate-200">
      <h1 className="text-2xl font-bold text-slate-900">{t("signUpTitle")}</h1>
      <p className="mt-2 text-sm text-slate-600">{t("signUpIntro")}</p>
      <SignUpForm action={signUp} />
      <p className="mt-6 text-sm text-slate-600">
        {t("haveAccount")}{" "}
        <Link href="/signin" className="text-brand-700 underline">
          {t("signIn")}
        </Link>
      </p>
    </div>
  );
}
