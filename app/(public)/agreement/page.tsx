import type { Metadata } from "next";
import Link from "next/link";
import { connection } from "next/server";
import { getTranslations } from "next-intl/server";
import { getUpcomingVersion, getVersionInEffect } from "@/lib/agreements/versions";
import { AgreementView } from "@/components/agreement/agreement-view";
import { ScheduledNotice } from "@/components/agreement/scheduled-notice";
import { Alert } from "@/components/ui/alert";

export const metadata: Metadata = { title: "User Privacy Agreement" };

export default async function AgreementPage() {
  await connection();
  const t = await getTranslations("agreement");
  const tv = await getTranslations("versions");
  const [version, upcoming] = await Promise.all([getVersionInEffect(), getUpcomingVersion()]);
  if (!version) return <Alert tone="warning" title={t("noneInEffect")} />;
  return (
    <div className="space-y-4">
      {upcoming ? <ScheduledNotice upcoming={upcoming} currentNumber={version.number} /> : null}
      <AgreementView {...version} />
      <p className="text-sm">
        <Link href="/agreement/versions" className="text-brand-700 underline">
          {tv("allVersionsLink")}
        </Link>
      </p>
    </div>
  );
}
