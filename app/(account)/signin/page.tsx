import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { getActor, homeFor } from "@/lib/auth/actor";
import { safeReturnPath } from "@/lib/auth/redirect";
import { env } from "@/lib/env";
import { SignInForm } from "@/components/auth/sign-in-form";
import { Alert } from "@/components/ui/alert";

/** Where a finished account flow sends people to sign in, and what it tells them. */
const DONE = { reset: "resetDone", verified: "verifiedDone", email: "emailChangedDone" } as const;

export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage({ searchParams }: PageProps<"/signin">) {
  const params = await searchParams;
  // Only a path on our own origin; without one, each role lands on its own area.
  const returnTo = safeReturnPath(params.callbackUrl, env.APP_URL, "");
  const actor = await getActor();
  if (actor) redirect(returnTo || homeFor(actor));
  const callbackUrl = returnTo || null;
  const t = await getTranslations("auth");
  const accounts = await getTranslations("accounts");
  const done =
    typeof params.done === "string" && Object.hasOwn(DONE, params.done)
      ? DONE[params.done as keyof typeof DONE]
      : null;
  return (
    <div className="mx-auto max-w-md rounded-lg bg-white p-8 shadow-sm ring-1 ring-slate-200">
      <h1 className="text-2xl font-bold text-slate-900">{t("signInTitle")}</h1>
      {done ? (
        <div className="mt-4">
          <Alert tone="success" role="status" title={accounts(done)} />
        </div>
      ) : null}
      <SignInForm callbackUrl={callbackUrl} />
      <p className="mt-4 text-sm">
        <Link href="/forgot-password" className="text-brand-700 underline">
          {accounts("forgotLink")}
        </Link>
      </p>
      <p className="mt-6 text-sm text-slate-600">
        {t("noAccount")}{" "}
        <Link href="/signup" className="text-brand-700 underline">
          {t("signUp")}
        </Link>
      </p>
    </div>
  );
}
