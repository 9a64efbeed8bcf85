import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { AUDIT_ROLES, requirePageActor } from "@/lib/auth/actor";

export const metadata: Metadata = { title: "Audit" };

export default async function AuditPage() {
  await requirePageActor("/audit", AUDIT_ROLES);
  const t = await getTranslations("audit");
  return <h1 className="text-2xl font-bold text-slate-900">{t("title")}</h1>;
}
