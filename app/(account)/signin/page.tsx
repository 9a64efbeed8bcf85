import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { getActor, homeFor } from "@/lib/auth/actor";
import { safeReturnPath } from "@/lib/auth/redirect";
import { env } from "@/lib/env";
import { SignInForm } from "@/components/auth/sign-in-form";

export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage({ searchParams }: PageProps<"/signin">) {
  const params = await searchParams;
  // Only a path on our own origin; without one, each role lands on its own area.
  const returnTo = safeReturnPath(params.callbackUrl, env.APP_URL, "");
  const actor = await getActor();
  if (actor) redirect(returnTo || homeFor(actor));
  const callbackUrl = returnTo || null;
  const t = await getTranslations("auth");
  return (
    <div className="mx-auto max-w-md rounded-lg bg-white p-8 shadow-sm ring-1 ring-slate-200">
      <h1 className="text-2xl font-bold text-slate-900">{t("signInTitle")}</h1>
      <SignInForm callbackUrl={callbackUrl} />
      <p className="mt-6 text-sm text-slate-600">
        {t("noAccount")}{" "}
        <Link href="/signup" className="text-brand-700 underline">
          {t("signUp")}
        </Link>
      </p>
    </div>
  );
}
