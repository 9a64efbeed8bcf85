import type { Metadata } from "next";
import { connection } from "next/server";
import { getLocale, getTranslations } from "next-intl/server";
import { ADMIN_ROLES, requirePageActor } from "@/lib/auth/actor";
import { getRightsPolicy } from "@/lib/rights/policy";
import { listPurges } from "@/lib/retention/purge";
import { PurgeList } from "@/components/rights/purge-list";
import { formatDateTime } from "@/lib/format";
import { PolicyForm } from "@/components/rights/policy-form";
import { Section } from "@/components/ui/section";
import { updateRightsPolicyAction } from "./actions";

export const metadata: Metadata = { title: "Rights and retention" };

export default async function RetentionPage() {
  const locale = await getLocale();
  await connection();
  await requirePageActor("/admin/retention", ADMIN_ROLES);
  const [t, policy, purges] = await Promise.all([
    getTranslations("retention"),
    getRightsPolicy(),
    listPurges(),
  ]);
  return (
    <div className="space-y-8">
      <header>
        <h1 className="text-2xl font-bold text-slate-900">{t("title")}</h1>
        <p className="mt-1 max-w-3xl text-sm text-slate-700">{t("intro")}</p>
      </header>
      <Section id="policy" title={t("policyHeading")} className="max-w-2xl space-y-3">
        <p className="text-sm text-slate-700">
          {policy.updatedAt
            ? t("savedAt", { when: formatDateTime(policy.updatedAt, locale) })
            : t("defaults")}
        </p>
        <PolicyForm action={updateRightsPolicyAction} policy={policy} />
      </Section>
      <Section id="purges" title={t("purgeHeading")} className="max-w-3xl space-y-3">
        <p className="text-sm text-slate-700">{t("purgeIntro")}</p>
        <PurgeList purges={purges} />
      </Section>
    </div>
  );
}
