import type { Metadata } from "next";
import Link from "next/link";
import { connection } from "next/server";
import { getTranslations } from "next-intl/server";
import { getUpcomingVersion, getVersionInEffect } from "@/lib/agreements/versions";
import { AgreementView } from "@/components/agreement/agreement-view";
import { ScheduledNotice } from "@/components/agreement/scheduled-notice";
import { Alert } from "@/components/ui/alert";

export const metadata: Metadata = { title: "User Privacy Agreement" };

export default async function AgreementPage({ searchParams }: PageProps<"/agreement">) {
  await connection();
  const t = await getTranslations("agreement");
  const tv = await getTranslations("versions");
  const [version, upcoming, query] = await Promise.all([
    getVersionInEffect(),
    getUpcomingVersion(),
    searchParams,
  ]);
  // ?text=authoritative: the version's own text, which prevails over any translation.
  const text = query.text === "authoritative" ? "authoritative" : "reader";
  if (!version) return <Alert tone="warning" title={t("noneInEffect")} />;
  return (
    <div className="space-y-4">
      {upcoming ? <ScheduledNotice upcoming={upcoming} currentNumber={version.number} /> : null}
      <AgreementView {...version} text={text} authoritativeHref="/agreement?text=authoritative" />
      <p className="text-sm">
        <Link href="/agreement/versions" className="text-brand-700 underline">
          {tv("allVersionsLink")}
        </Link>
      </p>
    </div>
  );
}
