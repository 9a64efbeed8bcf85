import Link from "next/link";
import { getTranslations, getLocale } from "next-intl/server";
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
  const locale = await getLocale();
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
          </td>
          <td className="px-4 py-2">
            <StatusBadge status={request.status} />
          </td>
        </tr>
      ))}
    </Table>
  );
}
