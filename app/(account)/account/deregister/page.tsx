import type { Metadata } from "next";
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { requirePageActor } from "@/lib/auth/actor";
import { getRightsPolicy } from "@/lib/rights/policy";
import { DeregisterForm } from "@/components/rights/deregister-form";
import { Alert } from "@/components/ui/alert";
import { Section } from "@/components/ui/section";
import { deregisterAction } from "./actions";

export const metadata: Metadata = { title: "Close your account" };

/** Deregistering (agreement §6.5): what happens, then the password and a confirmation. */
export default async function DeregisterPage() {
  const actor = await requirePageActor("/account/deregister");
  const [t, policy] = await Promise.all([getTranslations("deregister"), getRightsPolicy()]);
  const days = policy.deregistrationGraceDays;
  return (
    <div className="max-w-3xl space-y-6">
      <header className="space-y-2">
        <h1 className="text-2xl font-bold text-slate-900">{t("title")}</h1>
        <p className="text-sm text-slate-700">{t("intro")}</p>
      </header>
      <Section id="what-happens" title={t("whatHappens")} className="space-y-2">
        <ul className="list-disc space-y-1 pl-5 text-sm text-slate-800">
          <li>{t("atOnce")}</li>
          <li>{t("grace", { days })}</li>
          <li>{t("erased", { days })}</li>
          <li>{t("evidence", { years: Math.round(policy.consentEvidenceDays / 365) })}</li>
          <li>{t("emailSent")}</li>
        </ul>
        <p className="text-sm text-slate-700">
          {t("before")}{" "}
          <Link href="/account/data" className="text-brand-700 underline">
            {t("downloadFirst")}
          </Link>
        </p>
      </Section>
      {actor.role === "USER" ? (
        <Section id="close" title={t("formHeading")} className="max-w-xl space-y-3">
          <DeregisterForm action={deregisterAction} />
        </Section>
      ) : (
        <Alert tone="warning" title={t("staff")} />
      )}
    </div>
  );
}
