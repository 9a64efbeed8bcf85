import type { Metadata } from "next";
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { getRightsPolicy } from "@/lib/rights/policy";
import { Alert } from "@/components/ui/alert";

export const metadata: Metadata = { title: "Account closed" };

/** Where deregistering lands: the session is gone, so this page is public and names nobody. */
export default async function ClosedPage() {
  const [t, policy] = await Promise.all([getTranslations("deregister"), getRightsPolicy()]);
  return (
    <div className="max-w-3xl space-y-4" data-testid="account-closed">
      <Alert tone="success" role="status" title={t("closedTitle")}>
        <p>{t("closedBody", { days: policy.deregistrationGraceDays })}</p>
      </Alert>
      <p className="text-sm text-slate-700">
        <Link href="/account/deregister/cancel" className="text-brand-700 underline">
          {t("changedMind")}
        </Link>
      </p>
    </div>
  );
}
