import type { Metadata } from "next";
import { connection } from "next/server";
import { getTranslations } from "next-intl/server";
import { ADMIN_ROLES, requirePageActor } from "@/lib/auth/actor";
import { listVersionsForAdmin } from "@/lib/agreements/versions";
import { listNotificationRuns } from "@/lib/notifications/runs";
import { VersionsTable } from "@/components/admin/versions-table";
import { NotificationRuns } from "@/components/admin/notification-runs";
import { ActionForm } from "@/components/admin/action-form";
import { Alert } from "@/components/ui/alert";
import { Section } from "@/components/ui/section";
import { RequestsCard } from "@/components/rights/requests-card";
import { createDraftAction } from "./actions";

export const metadata: Metadata = { title: "Administration" };

export default async function AdminPage({ searchParams }: PageProps<"/admin">) {
  await connection();
  await requirePageActor("/admin", ADMIN_ROLES);
  const t = await getTranslations("adminVersions");
  const [versions, runs, params] = await Promise.all([
    listVersionsForAdmin(),
    listNotificationRuns(),
    searchParams,
  ]);
  const latest = versions.find((v) => v.number !== null);
  return (
    <div className="space-y-8">
      <header className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-2xl font-bold text-slate-900">{t("title")}</h1>
          <p className="mt-1 max-w-2xl text-sm text-slate-700">{t("intro")}</p>
        </div>
        {latest ? (
          <ActionForm
            action={createDraftAction}
            fields={{}}
            label={t("createDraft", { number: latest.number ?? 0 })}
            pendingLabel={t("creating")}
          />
        ) : null}
      </header>
      {params.deleted ? <Alert tone="success" role="status" title={t("deleted")} /> : null}
      <div className="grid gap-4 sm:grid-cols-2">
        <RequestsCard />
      </div>
      <Section id="versions" title={t("versionsHeading")}>
        <VersionsTable versions={versions} />
      </Section>
      <Section id="runs" title={t("runs.heading")}>
        <NotificationRuns runs={runs} />
      </Section>
    </div>
  );
}
