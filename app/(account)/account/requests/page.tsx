import type { Metadata } from "next";
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { requirePageActor } from "@/lib/auth/actor";
import { listOwnRequests } from "@/lib/rights/requests";
import { getRightsPolicy } from "@/lib/rights/policy";
import { OwnRequestsTable } from "@/components/rights/own-requests-table";
import { RequestForm } from "@/components/rights/request-form";
import { Section } from "@/components/ui/section";
import { openRequestAction } from "./actions";

export const metadata: Metadata = { title: "My requests" };

export default async function RequestsPage() {
  const actor = await requirePageActor("/account/requests");
  const [t, requests, policy] = await Promise.all([
    getTranslations("requests"),
    listOwnRequests(actor.id),
    getRightsPolicy(),
  ]);
  return (
    <div className="space-y-8">
      <header className="space-y-2">
        <h1 className="text-2xl font-bold text-slate-900">{t("title")}</h1>
        <p className="max-w-3xl text-sm text-slate-700">{t("intro", { days: policy.requestDeadlineDays })}</p>
        <p className="max-w-3xl text-sm text-slate-700">
          {t("selfService")}{" "}
          <Link href="/account/consent" className="text-brand-700 underline">
            {t("selfServiceConsent")}
          </Link>
        </p>
      </header>
      <Section id="new-request" title={t("formHeading")} className="max-w-2xl space-y-3">
        <RequestForm action={openRequestAction} />
      </Section>
      <Section id="my-requests" title={t("listHeading")}>
        {requests.length === 0 ? (
          <p className="text-sm text-slate-700">{t("none")}</p>
        ) : (
          <OwnRequestsTable requests={requests} />
        )}
      </Section>
    </div>
  );
}
