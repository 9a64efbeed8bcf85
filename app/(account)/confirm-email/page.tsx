import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { linkWorks } from "@/lib/accounts/tokens";
import { TokenConfirmForm } from "@/components/accounts/token-confirm-form";
import { InvalidLink } from "@/components/accounts/invalid-link";
import { confirmEmailChangeAction } from "./actions";

export const metadata: Metadata = { title: "Confirm your new email address", referrer: "no-referrer" };

export default async function ConfirmEmailPage({ searchParams }: PageProps<"/confirm-email">) {
  const { token: raw } = await searchParams;
  const token = typeof raw === "string" ? raw : "";
  const t = await getTranslations("accounts");
  const works = await linkWorks(token, "CHANGE_EMAIL");
  return (
    <div className="mx-auto max-w-md rounded-lg bg-white p-8 shadow-sm ring-1 ring-slate-200">
      <h1 className="text-2xl font-bold text-slate-900">{t("confirmEmailTitle")}</h1>
      {works ? (
        <>
          <p className="mt-2 text-sm text-slate-600">{t("confirmEmailIntro")}</p>
          <TokenConfirmForm
            action={confirmEmailChangeAction}
            token={token}
            label={t("confirmEmailSubmit")}
            pendingLabel={t("confirming")}
          />
        </>
      ) : (
        <InvalidLink againHref="/account" />
      )}
    </div>
  );
}
