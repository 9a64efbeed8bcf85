import { randomUUID } from "node:crypto";
import { getTranslations } from "next-intl/server";
import { filtersToSearchParams, type RawFilters } from "@/lib/audit/filters";

/**
 * Download links for the current filters. Each link carries a fresh export id,
 * so the manifest link next to it can name the export before it exists.
 */
export async function ExportLinks({ filters }: { filters: RawFilters }) {
  const t = await getTranslations("auditExplorer");
  const formats: { key: string; params: Record<string, string>; label: string; manifest: string }[] = [
    { key: "csv", params: { format: "csv" }, label: t("exportCsv"), manifest: t("exportManifest") },
    {
      key: "csv-safe",
      params: { format: "csv", spreadsheetSafe: "1" },
      label: t("exportCsvSpreadsheet"),
      manifest: t("exportManifestSpreadsheet"),
    },
    {
      key: "ndjson",
      params: { format: "ndjson" },
      label: t("exportNdjson"),
      manifest: t("exportManifestNdjson"),
    },
  ];
  return (
    <section
      aria-labelledby="export-title"
      className="space-y-2 rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200"
    >
      <h2 id="export-title" className="text-lg font-semibold text-slate-900">
        {t("exportTitle")}
      </h2>
      <p className="text-sm text-slate-700">{t("exportBody")}</p>
      <ul className="flex flex-wrap gap-x-6 gap-y-2 text-sm">
        {formats.map(({ key, params, label, manifest }) => {
          const exportId = randomUUID();
          return (
            <li key={key} className="flex gap-3">
              <a
                href={`/api/v1/audit/exports?${filtersToSearchParams(filters, { ...params, exportId })}`}
                className="font-medium text-brand-700 underline"
                download
              >
                {label}
              </a>
              <a
                href={`/api/v1/audit/exports/${exportId}/manifest?download=1`}
                className="text-brand-700 underline"
                download
              >
                {manifest}
              </a>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
