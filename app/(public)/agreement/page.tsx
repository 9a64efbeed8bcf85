import type { Metadata } from "next";
import { connection } from "next/server";
import { getTranslations } from "next-intl/server";
import { getVersionInEffect } from "@/lib/agreements/versions";
import { AgreementView } from "@/components/agreement/agreement-view";
import { Alert } from "@/components/ui/alert";

export const metadata: Metadata = { title: "User Privacy Agreement" };

export default async function AgreementPage() {
  await connection();
  const t = await getTranslations("agreement");
  const version = await getVersionInEffect();
  if (!version) return <Alert tone="warning" title={t("noneInEffect")} />;
  return <AgreementView {...version} />;
}
