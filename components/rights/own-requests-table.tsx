import Link from "next/link";
import { getFormatter, getTranslations, getLocale } from "next-intl/server";
import { now } from "@/lib/clock";
import { OPEN_STATUSES } from "@/lib/rights/schemas";
import type { RightsRequestStatus, RightsRequestType } from "@/lib/generated/prisma/enums";
import { formatDate, isoDate } from "@/lib/format";
import { Table } from "@/components/ui/table";
import { StatusBadge } from "@/components/rights/status-badge";

interface OwnRequestRow {
  reference: string;
  type: RightsRequestType;
  status: RightsRequestStatus;
  receivedAt: Date;
  dueAt: Date;
}

export async function OwnRequestsTable({ requests }: { requests: OwnRequestRow[] }) {
  const t = await getTranslations("requests");
  const [locale, format] = await Promise.all([getLocale(), getFormatter()]);
  const at = now();
  // "in 3 days" / "3天后": how long an open request has left, in the reader's language.
  const dueIn = (status: RightsRequestStatus, dueAt: Date) =>
    (OPEN_STATUSES as readonly string[]).includes(status)
      ? format.relativeTime(dueAt, { now: at, unit: "day" })
      : null;
  return (
    <Table
      caption={t("caption")}
      columns={(["reference", "type", "received", "due", "status"] as const).map((c) => t(`columns.${c}`))}
      testId="own-requests"
    >
      {requests.map((request) => (
        <tr key={request.reference}>
          <td className="px-4 py-2 font-mono">
            <Link href={`/account/requests/${request.reference}`} className="text-brand-700 underline">
              {request.reference}
            </Link>
          </td>
          <td className="px-4 py-2">{t(`types.${request.type}`)}</td>
          <td className="px-4 py-2 whitespace-nowrap">
            <time dateTime={isoDate(request.receivedAt)}>{formatDate(request.receivedAt, locale)}</time>
          </td>
          <td className="px-4 py-2 whitespace-nowrap">
            <time dateTime={isoDate(request.dueAt)}>{formatDate(request.dueAt, locale)}</time>
            {dueIn(request.status, request.dueAt) ? (
              <span className="block text-xs text-slate-600" data-testid="due-in">
                {dueIn(request.status, request.dueAt)}
              </span>
            ) : null}
          </td>
          <td className="px-4 py-2">
            <StatusBadge status={request.status} />
          </td>
        </tr>
      ))}
    </Table>
  );
}
