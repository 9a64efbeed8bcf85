import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { getRightsPolicy } from "@/lib/rights/policy";
import { RestoreForm } from "@/components/rights/restore-form";
import { cancelDeregistrationAction } from "../actions";

export const metadata: Metadata = { title: "Restore your account" };

/** Cancelling a closure in its grace period: public, since a closed account cannot sign in. */
export default async function RestorePage() {
  const [t, policy] = await Promise.all([getTranslations("deregister"), getRightsPolicy()]);
  return (
    <div className="max-w-xl space-y-4">
      <h1 className="text-2xl font-bold text-slate-900">{t("restoreHeading")}</h1>
      <p className="text-sm text-slate-700">{t("restoreIntro", { days: policy.deregistrationGraceDays })}</p>
      <RestoreForm action={cancelDeregistrationAction} />
    </div>
  );
}
