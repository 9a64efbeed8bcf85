import { getTranslations, getLocale } from "next-intl/server";
import { formatDateTime } from "@/lib/format";
import { Table } from "@/components/ui/table";
import type { ExportSummary } from "@/lib/audit/export/manifests";

export async function ExportsTable({ exports }: { exports: ExportSummary[] }) {
  const t = await getTranslations("audit");
  const locale = await getLocale();
  if (exports.length === 0)
    return (
      <p className="rounded-md bg-white p-4 text-slate-700 ring-1 ring-slate-200">{t("exportsEmpty")}</p>
    );
  const status = {
    completed: t("statusCompleted"),
    aborted: t("statusAborted"),
    running: t("statusRunning"),
  };
  return (
    <Table
      caption={t("exportsCaption")}
      columns={["colStarted", "colBy", "colFormat", "colFilters", "colStatus", "colRows", "colManifest"].map(
        (key) => t(key),
      )}
    >
      {exports.map((row) => (
        <tr key={row.exportId} data-testid="export-row">
          <td className="whitespace-nowrap px-4 py-2">{formatDateTime(new Date(row.startedAt), locale)}</td>
          <td className="px-4 py-2 break-all">{row.actorEmail ?? "—"}</td>
          <td className="px-4 py-2 uppercase">{row.format}</td>
          <td className="px-4 py-2 font-mono text-xs">
            {Object.keys(row.filters).length
              ? Object.entries(row.filters)
                  .map(([key, value]) => `${key}=${value}`)
                  .join(" ")
              : t("noFilters")}
          </td>
          <td className="px-4 py-2">{status[row.status]}</td>
          <td className="px-4 py-2 tabular-nums">{row.rowCount ?? "—"}</td>
          <td className="px-4 py-2">
            {row.status === "completed" ? (
              <a
                href={`/api/v1/audit/exports/${row.exportId}/manifest?download=1`}
                className="text-brand-700 underline"
                download
              >
                {t("downloadManifest")}
                <span className="sr-only"> {row.exportId}</span>
              </a>
            ) : (
              "—"
            )}
          </td>
        </tr>
      ))}
    </Table>
  );
}
