import Link from "next/link";
import { getTranslations, getLocale } from "next-intl/server";
import { formatDateTime } from "@/lib/format";
import { Table } from "@/components/ui/table";
import type { ExplorerRow } from "@/lib/audit/explorer";

export async function EventsTable({ rows }: { rows: ExplorerRow[] }) {
  const t = await getTranslations("auditExplorer");
  const locale = await getLocale();
  if (rows.length === 0)
    return <p className="rounded-md bg-white p-4 text-slate-700 ring-1 ring-slate-200">{t("empty")}</p>;
  return (
    <Table
      caption={t("resultsCaption")}
      columns={[
        t("colTime"),
        t("colUser"),
        t("colAction"),
        t("colPurpose"),
        t("colVersion"),
        t("colMethod"),
        t("colSeq"),
        t("colEvidence"),
      ]}
    >
      {rows.map((row) => (
        <tr key={row.id} data-testid="event-row">
          <td className="whitespace-nowrap px-4 py-2">
            <time dateTime={row.recordedAt}>{formatDateTime(new Date(row.recordedAt), locale)}</time>
          </td>
          <td className="px-4 py-2 break-all">{row.email ?? row.subjectId}</td>
          <td className="px-4 py-2">
            {t(`actions.${row.action}`)}
            {row.prunedAt ? (
              <span
                className="ml-2 rounded bg-slate-100 px-1.5 py-0.5 text-xs text-slate-700"
                title={t("prunedTitle", { at: formatDateTime(new Date(row.prunedAt), locale) })}
                data-testid="event-pruned"
              >
                {t("prunedBadge")}
              </span>
            ) : null}
          </td>
          <td className="px-4 py-2">{row.purposeKey ?? "—"}</td>
          <td className="px-4 py-2">{row.versionNumber}</td>
          <td className="px-4 py-2">{t(`methods.${row.method}`)}</td>
          <td className="px-4 py-2">{row.seq}</td>
          <td className="px-4 py-2">
            <Link
              href={`/audit/events/${row.id}`}
              className="text-brand-700 underline"
              aria-label={t("openEvidenceFor", { seq: row.seq, user: row.email ?? row.subjectId })}
            >
              {t("openEvidence")}
            </Link>
          </td>
        </tr>
      ))}
    </Table>
  );
}
