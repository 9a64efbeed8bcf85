import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { formatDate, isoDate } from "@/lib/format";
import type { VersionState } from "@/lib/agreements/version-state";
import { StateBadge } from "@/components/admin/state-badge";

export interface VersionRow {
  id: string;
  number: number | null;
  title: string;
  state: VersionState;
  material: boolean;
  effectiveAt: Date | null;
  publishedAt: Date | null;
  updatedAt: Date;
  changeSummary: string | null;
}

export async function VersionsTable({ versions }: { versions: VersionRow[] }) {
  const t = await getTranslations("adminVersions");
  return (
    <div className="overflow-x-auto rounded-lg bg-white shadow-sm ring-1 ring-slate-200">
      <table className="min-w-full divide-y divide-slate-200 text-sm">
        <caption className="sr-only">{t("tableCaption")}</caption>
        <thead className="bg-slate-50 text-left text-slate-700">
          <tr>
            <th scope="col" className="px-4 py-2 font-semibold">
              {t("columns.version")}
            </th>
            <th scope="col" className="px-4 py-2 font-semibold">
              {t("columns.state")}
            </th>
            <th scope="col" className="px-4 py-2 font-semibold">
              {t("columns.effective")}
            </th>
            <th scope="col" className="px-4 py-2 font-semibold">
              {t("columns.material")}
            </th>
            <th scope="col" className="px-4 py-2 font-semibold">
              {t("columns.summary")}
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {versions.map((v) => (
            <tr key={v.id} data-testid="version-row">
              <td className="px-4 py-2">
                <Link href={`/admin/versions/${v.id}`} className="font-medium text-brand-700 underline">
                  {v.number !== null
                    ? t("versionNumber", { number: v.number })
                    : t("draftLabel", { updated: formatDate(v.updatedAt) })}
                </Link>
              </td>
              <td className="px-4 py-2">
                <StateBadge state={v.state} />
              </td>
              <td className="px-4 py-2">
                {v.effectiveAt ? (
                  <time dateTime={isoDate(v.effectiveAt)}>{formatDate(v.effectiveAt)}</time>
                ) : (
                  "—"
                )}
              </td>
              <td className="px-4 py-2">{v.number === null ? "—" : v.material ? t("yes") : t("no")}</td>
              <td className="max-w-sm px-4 py-2 text-slate-700">{v.changeSummary ?? "—"}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
