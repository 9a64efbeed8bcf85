import Link from "next/link";
import { getFormatter, getTranslations, getLocale } from "next-intl/server";
import { now } from "@/lib/clock";
import { OPEN_STATUSES } from "@/lib/rights/schemas";
import type { RightsRequestStatus, RightsRequestType } from "@/lib/generated/prisma/enums";
import { formatDate, isoDate } from "@/lib/format";
import { Table } from "@/components/ui/table";
import { StatusBadge } from "@/components/rights/status-badge";
import { SubjectLabel } from "@/components/rights/subject-label";

export interface DeskRow {
  id: string;
  reference: string;
  type: RightsRequestType;
  status: RightsRequestStatus;
  receivedAt: Date;
  dueAt: Date;
  overdue: boolean;
  subject: { id: string; email: string | null; deregisteredAt: Date | null };
  assignee: { email: string } | null;
}

export async function DeskTable({ rows }: { rows: DeskRow[] }) {
  const t = await getTranslations("desk");
  const [locale, format] = await Promise.all([getLocale(), getFormatter()]);
  const at = now();
  // "in 3 days" / "3天后": how long an open request has left, in the reader's language.
  const dueIn = (status: RightsRequestStatus, dueAt: Date) =>
    (OPEN_STATUSES as readonly string[]).includes(status)
      ? format.relativeTime(dueAt, { now: at, unit: "day" })
      : null;
  const tr = await getTranslations("requests");
  return (
    <Table
      caption={t("caption")}
      columns={(["reference", "type", "subject", "received", "due", "status", "assignee"] as const).map((c) =>
        t(`columns.${c}`),
      )}
      testId="desk-table"
      minWidth="min-w-[52rem]"
    >
      {rows.map((row) => (
        <tr
          key={row.id}
          data-testid="desk-row"
          data-reference={row.reference}
          data-overdue={row.overdue || undefined}
          className={row.overdue ? "bg-red-50" : undefined}
        >
          <td className="px-4 py-2 font-mono whitespace-nowrap">
            <Link href={`/admin/requests/${row.id}`} className="text-brand-700 underline">
              {row.reference}
            </Link>
          </td>
          <td className="px-4 py-2">{tr(`types.${row.type}`)}</td>
          <td className="px-4 py-2">
            <SubjectLabel subject={row.subject} />
          </td>
          <td className="px-4 py-2 whitespace-nowrap">
            <time dateTime={isoDate(row.receivedAt)}>{formatDate(row.receivedAt, locale)}</time>
          </td>
          <td className="px-4 py-2 whitespace-nowrap">
            <time dateTime={isoDate(row.dueAt)}>{formatDate(row.dueAt, locale)}</time>
            {dueIn(row.status, row.dueAt) ? (
              <span className="block text-xs text-slate-600" data-testid="due-in">
                {dueIn(row.status, row.dueAt)}
              </span>
            ) : null}
            {row.overdue ? (
              <span className="ml-2 rounded bg-red-100 px-1.5 py-0.5 text-xs font-semibold text-red-900">
                {t("overdue")}
              </span>
            ) : null}
          </td>
          <td className="px-4 py-2">
            <StatusBadge status={row.status} />
          </td>
          <td className="px-4 py-2 break-all">{row.assignee?.email ?? t("unassigned")}</td>
        </tr>
      ))}
    </Table>
  );
}
