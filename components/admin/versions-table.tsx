import Link from "next/link";
import { getLocale, getTranslations } from "next-intl/server";
import { formatDate, isoDate } from "@/lib/format";
import { getSettings } from "@/lib/settings";
import type { VersionState } from "@/lib/agreements/version-state";
import { StateBadge } from "@/components/admin/state-badge";
import { Table } from "@/components/ui/table";

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
  const [t, locale] = await Promise.all([getTranslations("adminVersions"), getLocale()]);
  const { timeZone } = getSettings();
  return (
    <Table
      caption={t("tableCaption")}
      columns={(["version", "state", "effective", "material", "summary"] as const).map((column) =>
        t(`columns.${column}`),
      )}
    >
      {versions.map((v) => (
        <tr key={v.id} data-testid="version-row">
          <td className="px-4 py-2">
            <Link href={`/admin/versions/${v.id}`} className="font-medium text-brand-700 underline">
              {v.number !== null
                ? t("versionNumber", { number: v.number })
                : t("draftLabel", { updated: formatDate(v.updatedAt, locale) })}
            </Link>
          </td>
          <td className="px-4 py-2">
            <StateBadge state={v.state} />
          </td>
          <td className="px-4 py-2">
            {v.effectiveAt ? (
              <time dateTime={isoDate(v.effectiveAt, timeZone)}>
                {formatDate(v.effectiveAt, locale, timeZone)}
              </time>
            ) : (
              "—"
            )}
          </td>
          <td className="px-4 py-2">{v.number === null ? "—" : v.material ? t("yes") : t("no")}</td>
          <td className="max-w-sm px-4 py-2 text-slate-700">{v.changeSummary ?? "—"}</td>
        </tr>
      ))}
    </Table>
  );
}
