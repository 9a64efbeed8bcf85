import type { Metadata } from "next";
import { connection } from "next/server";
import { getTranslations } from "next-intl/server";
import { ADMIN_ROLES, requirePageActor } from "@/lib/auth/actor";
import { listDesk } from "@/lib/rights/desk";
import { deskFilterSchema } from "@/lib/rights/schemas";
import { DeskFilters } from "@/components/rights/desk-filters";
import { DeskTable } from "@/components/rights/desk-table";

export const metadata: Metadata = { title: "Rights requests" };

export default async function RequestDeskPage({ searchParams }: PageProps<"/admin/requests">) {
  await connection();
  await requirePageActor("/admin/requests", ADMIN_ROLES);
  const filter = deskFilterSchema.parse(await searchParams);
  const [t, desk] = await Promise.all([getTranslations("desk"), listDesk(filter)]);
  return (
    <div className="space-y-6">
      <header>
        <h1 className="text-2xl font-bold text-slate-900">{t("title")}</h1>
        <p className="mt-1 max-w-3xl text-sm text-slate-700">{t("intro")}</p>
      </header>
      <DeskFilters filter={filter} />
      {desk.rows.length === 0 ? (
        <p className="text-sm text-slate-700">{t("none")}</p>
      ) : (
        <DeskTable rows={desk.rows} />
      )}
      {desk.more ? <p className="text-sm text-slate-700">{t("more", { count: desk.rows.length })}</p> : null}
    </div>
  );
}
