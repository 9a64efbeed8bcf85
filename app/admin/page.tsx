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
      <section aria-labelledby="versions-heading" className="space-y-3">
        <h2 id="versions-heading" className="text-lg font-semibold text-slate-900">
          {t("versionsHeading")}
        </h2>
        <VersionsTable versions={versions} />
      </section>
      <section aria-labelledby="runs-heading" className="space-y-3">
        <h2 id="runs-heading" className="text-lg font-semibold text-slate-900">
          {t("runs.heading")}
        </h2>
        <NotificationRuns runs={runs} />
      </section>
    </div>
  );
}
