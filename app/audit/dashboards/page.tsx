import type { Metadata } from "next";
import { getFormatter, getTranslations, getLocale } from "next-intl/server";
import { AUDIT_ROLES, requirePageActor } from "@/lib/auth/actor";
import {
  acceptanceOverTime,
  dashboardQuerySchema,
  purposeActivity,
  reconsentProgress,
} from "@/lib/audit/dashboards";
import { flattenSearchParams } from "@/lib/audit/filters";
import { formatDate } from "@/lib/format";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/text-field";
import { ChartCard } from "@/components/audit/chart-card";
import { DataTable } from "@/components/audit/data-table";
import { ShareLineChart } from "@/components/audit/share-line-chart";
import { PurposeActivityChart } from "@/components/audit/purpose-activity-chart";

export const metadata: Metadata = { title: "Dashboards" };

export default async function AuditDashboardsPage({ searchParams }: PageProps<"/audit/dashboards">) {
  await requirePageActor("/audit/dashboards", AUDIT_ROLES);
  const t = await getTranslations("dashboards");
  const [locale, format] = await Promise.all([getLocale(), getFormatter()]);
  // Counts and shares in the reader's language (Intl, through next-intl's formatter).
  const count = (value: number) => format.number(value);
  const percent = (share: number) =>
    format.number(share, { style: "percent", minimumFractionDigits: 1, maximumFractionDigits: 1 });
  const values = flattenSearchParams(await searchParams);
  const parsed = dashboardQuerySchema.safeParse(values);
  const weeks = parsed.success ? parsed.data.weeks : 12;
  const [acceptance, reconsent, activity] = await Promise.all([
    acceptanceOverTime(weeks),
    reconsentProgress(),
    purposeActivity(weeks),
  ]);
  const purposeKeys = [...new Set(activity.map((row) => row.purposeKey))];
  const latest = reconsent.points.at(-1);

  return (
    <div className="space-y-6">
      <header className="space-y-1">
        <h1 className="text-2xl font-bold text-slate-900">{t("title")}</h1>
        <p className="text-slate-700">{t("intro")}</p>
      </header>
      {parsed.success ? null : (
        <Alert tone="error" role="alert">
          {t("invalid")}
        </Alert>
      )}
      <form method="get" className="flex items-end gap-3">
        <div className="w-40">
          <TextField
            name="weeks"
            label={t("weeks")}
            hint={t("weeksHint")}
            inputMode="numeric"
            defaultValue={values.weeks ?? String(weeks)}
          />
        </div>
        <Button type="submit">{t("show")}</Button>
      </form>

      <ChartCard
        id="acceptance"
        title={t("acceptanceTitle")}
        description={t("acceptanceBody")}
        showTable={t("showTable")}
        chart={
          <ShareLineChart
            data={acceptance.map((p) => ({ label: p.week, percent: Math.round(p.share * 1000) / 10 }))}
            seriesName={t("share")}
            summary={t("acceptanceCaption")}
          />
        }
        table={
          <DataTable
            caption={t("acceptanceCaption")}
            columns={[t("week"), t("versionInEffect"), t("activeUsers"), t("accepted"), t("share")]}
            rows={acceptance.map((p) => [
              p.week,
              p.versionNumber ?? "—",
              count(p.activeUsers),
              count(p.accepted),
              percent(p.share),
            ])}
          />
        }
      />

      <ChartCard
        id="reconsent"
        title={t("reconsentTitle")}
        description={
          reconsent.version
            ? t("reconsentBody", {
                number: reconsent.version.number,
                published: formatDate(new Date(reconsent.version.publishedAt), locale),
                accepted: latest?.accepted ?? 0,
                active: reconsent.activeUsers,
              })
            : t("reconsentNone")
        }
        showTable={t("showTable")}
        chart={
          <ShareLineChart
            data={reconsent.points.map((p) => ({ label: p.date, percent: Math.round(p.share * 1000) / 10 }))}
            seriesName={t("share")}
            summary={t("reconsentCaption")}
          />
        }
        table={
          <DataTable
            caption={t("reconsentCaption")}
            columns={[t("date"), t("newAcceptances"), t("cumulative"), t("share")]}
            rows={reconsent.points.map((p) => [
              p.date,
              count(p.newAcceptances),
              count(p.accepted),
              percent(p.share),
            ])}
          />
        }
      />

      <ChartCard
        id="purposes"
        title={t("purposesTitle")}
        description={t("purposesBody")}
        showTable={t("showTable")}
        chart={
          purposeKeys.length ? (
            <div className="grid gap-4 sm:grid-cols-2">
              {purposeKeys.map((key) => (
                <PurposeActivityChart
                  key={key}
                  purposeKey={key}
                  data={activity
                    .filter((row) => row.purposeKey === key)
                    .map((row) => ({
                      label: row.week.slice(5),
                      granted: row.granted,
                      withdrawn: row.withdrawn,
                    }))}
                  grantedLabel={t("granted")}
                  withdrawnLabel={t("withdrawn")}
                  summary={`${t("purposesCaption")}: ${key}`}
                />
              ))}
            </div>
          ) : (
            <p>{t("noData")}</p>
          )
        }
        table={
          <DataTable
            caption={t("purposesCaption")}
            columns={[t("week"), t("purpose"), t("granted"), t("withdrawn")]}
            rows={activity.map((row) => [row.week, row.purposeKey, count(row.granted), count(row.withdrawn)])}
          />
        }
      />
    </div>
  );
}
