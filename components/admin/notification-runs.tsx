import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { formatDateTime } from "@/lib/format";
import type { RunStatus } from "@/lib/notifications/runs";

/** Delivery status per run: how many emails are waiting, being sent, sent and failed. */
export async function NotificationRuns({ runs }: { runs: RunStatus[] }) {
  const t = await getTranslations("adminVersions.runs");
  if (runs.length === 0) return <p className="text-sm text-slate-600">{t("none")}</p>;
  return (
    <div className="overflow-x-auto rounded-lg bg-white shadow-sm ring-1 ring-slate-200">
      <table className="min-w-full divide-y divide-slate-200 text-sm" data-testid="notification-runs">
        <caption className="sr-only">{t("caption")}</caption>
        <thead className="bg-slate-50 text-left text-slate-700">
          <tr>
            {(["version", "queued", "total", "pending", "sending", "sent", "failed"] as const).map(
              (column) => (
                <th key={column} scope="col" className="px-4 py-2 font-semibold">
                  {t(`columns.${column}`)}
                </th>
              ),
            )}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {runs.map((run) => (
            <tr key={run.id} data-testid="notification-run">
              <td className="px-4 py-2">
                <Link href={`/admin/versions/${run.versionId}`} className="text-brand-700 underline">
                  {t("version", { number: run.versionNumber ?? 0 })}
                </Link>
              </td>
              <td className="px-4 py-2">{formatDateTime(run.createdAt)}</td>
              <td className="px-4 py-2" data-testid="run-total">
                {run.total}
              </td>
              <td className="px-4 py-2" data-testid="run-pending">
                {run.pending}
              </td>
              <td className="px-4 py-2" data-testid="run-sending">
                {run.sending}
              </td>
              <td className="px-4 py-2" data-testid="run-sent">
                {run.sent}
              </td>
              <td
                className={`px-4 py-2 ${run.failed > 0 ? "font-semibold text-red-800" : ""}`}
                data-testid="run-failed"
              >
                {run.failed}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
