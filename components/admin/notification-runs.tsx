import Link from "next/link";
import { getFormatter, getLocale, getTranslations } from "next-intl/server";
import { formatDateTime } from "@/lib/format";
import type { RunStatus } from "@/lib/notifications/runs";
import { Table } from "@/components/ui/table";

/** Delivery status per run: how many emails are waiting, being sent, sent and failed. */
export async function NotificationRuns({ runs }: { runs: RunStatus[] }) {
  const [t, format, locale] = await Promise.all([
    getTranslations("adminVersions.runs"),
    getFormatter(),
    getLocale(),
  ]);
  if (runs.length === 0) return <p className="text-sm text-slate-600">{t("none")}</p>;
  return (
    <Table
      caption={t("caption")}
      columns={(["version", "queued", "total", "pending", "sending", "sent", "failed"] as const).map(
        (column) => t(`columns.${column}`),
      )}
      testId="notification-runs"
    >
      {runs.map((run) => (
        <tr key={run.id} data-testid="notification-run">
          <td className="px-4 py-2">
            <Link href={`/admin/versions/${run.versionId}`} className="text-brand-700 underline">
              {t("version", { number: run.versionNumber ?? 0 })}
            </Link>
          </td>
          <td className="px-4 py-2">{formatDateTime(run.createdAt, locale)}</td>
          {(["total", "pending", "sending", "sent"] as const).map((count) => (
            <td key={count} className="px-4 py-2" data-testid={`run-${count}`}>
              {format.number(run[count])}
            </td>
          ))}
          <td
            className={`px-4 py-2 ${run.failed > 0 ? "font-semibold text-red-800" : ""}`}
            data-testid="run-failed"
          >
            {format.number(run.failed)}
          </td>
        </tr>
      ))}
    </Table>
  );
}
