import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { AUDIT_ROLES, requirePageActor } from "@/lib/auth/actor";
import { listExports } from "@/lib/audit/export/manifests";
import { ExportsTable } from "@/components/audit/exports-table";

export const metadata: Metadata = { title: "Exports" };

export default async function AuditExportsPage() {
  await requirePageActor("/audit/exports", AUDIT_ROLES);
  const t = await getTranslations("audit");
  const exports = await listExports();
  return (
    <div className="space-y-6">
      <header className="space-y-1">
        <h1 className="text-2xl font-bold text-slate-900">{t("exportsTitle")}</h1>
        <p className="text-slate-700">{t("exportsIntro")}</p>
      </header>
      <ExportsTable exports={exports} />
    </div>
  );
}
