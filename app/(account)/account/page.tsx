import type { Metadata } from "next";
import Link from "next/link";
import { getTranslations, getLocale } from "next-intl/server";
import { requirePageActor } from "@/lib/auth/actor";
import { requestMeta } from "@/lib/http/request-meta";
import { applyGpcSignal } from "@/lib/consent/gpc";
import { getVersionInEffect } from "@/lib/agreements/versions";
import { getPurposesNeedingFreshConsent } from "@/lib/agreements/reconsent";
import { getAcceptance } from "@/lib/consent/accept-agreement";
import { formatDateTime } from "@/lib/format";
import { Alert } from "@/components/ui/alert";
import { FreshConsentList } from "@/components/reconsent/fresh-consent-list";
import { SignOutEverywhere } from "@/components/auth/sign-out-everywhere";
import { signOutEverywhereAction } from "./session-actions";
import { changeEmailAction, changePasswordAction } from "./settings-actions";
import { ChangeEmailForm } from "@/components/accounts/change-email-form";
import { ChangePasswordForm } from "@/components/accounts/change-password-form";

export const metadata: Metadata = { title: "Your account" };

// The acceptance prompt itself is in the account layout (components/reconsent),
// so it follows the user to every account page until answered.
export default async function AccountPage({ searchParams }: PageProps<"/account">) {
  const { done } = await searchParams;
  const actor = await requirePageActor("/account");
  await applyGpcSignal(actor.id, await requestMeta());
  const t = await getTranslations("account");
  const accounts = await getTranslations("accounts");
  const locale = await getLocale();
  const [version, acceptance, fresh] = await Promise.all([
    getVersionInEffect(),
    getAcceptance(actor.id),
    getPurposesNeedingFreshConsent(actor.id),
  ]);
  const accepted =
    version &&
    acceptance?.acceptedVersionNumber != null &&
    acceptance.acceptedVersionNumber >= (version.number ?? 0);
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-bold text-slate-900">{t("title")}</h1>
      {done === "email" ? <Alert tone="success" role="status" title={accounts("emailChangedDone")} /> : null}
      {done === "password" ? (
        <Alert tone="success" role="status" title={accounts("passwordChanged")} />
      ) : null}
      {accepted && acceptance ? (
        <div data-testid="acceptance-status">
          <Alert tone="success" title={t("accepted", { number: acceptance.acceptedVersionNumber ?? 0 })}>
            {t("acceptedAt", { when: formatDateTime(acceptance.acceptedAt, locale) })}
          </Alert>
        </div>
      ) : null}
      <FreshConsentList purposes={fresh} />
      <section className="grid gap-4 sm:grid-cols-2">
        {(["consent", "history"] as const).map((page) => (
          <Link
            key={page}
            href={`/account/${page}`}
            className="rounded-lg bg-white p-5 shadow-sm ring-1 ring-slate-200 hover:ring-brand-600"
          >
            <h2 className="font-semibold text-slate-900">{t(`${page}Card`)}</h2>
            <p className="mt-1 text-sm text-slate-600">{t(`${page}CardBody`)}</p>
          </Link>
        ))}
      </section>
      <section
        aria-labelledby="email-title"
        className="rounded-lg bg-white p-5 shadow-sm ring-1 ring-slate-200"
      >
        <h2 id="email-title" className="font-semibold text-slate-900">
          {accounts("emailTitle")}
        </h2>
        <p className="mt-1 text-sm text-slate-600">{accounts("emailCurrent", { email: actor.email })}</p>
        <ChangeEmailForm action={changeEmailAction} />
      </section>
      <section
        aria-labelledby="password-title"
        className="rounded-lg bg-white p-5 shadow-sm ring-1 ring-slate-200"
      >
        <h2 id="password-title" className="font-semibold text-slate-900">
          {accounts("passwordTitle")}
        </h2>
        <p className="mt-1 text-sm text-slate-600">{accounts("passwordBody")}</p>
        <ChangePasswordForm action={changePasswordAction} />
      </section>
      <section
        aria-labelledby="sessions-title"
        className="rounded-lg bg-white p-5 shadow-sm ring-1 ring-slate-200"
      >
        <h2 id="sessions-title" className="font-semibold text-slate-900">
          {t("sessionsTitle")}
        </h2>
        <p className="mt-1 text-sm text-slate-600">{t("sessionsBody")}</p>
        <SignOutEverywhere action={signOutEverywhereAction} />
      </section>
    </div>
  );
}
