import { getTranslations, getLocale } from "next-intl/server";
import type { HistoryEvent } from "@/lib/consent/history";
import { formatDateTime } from "@/lib/format";
import { Table } from "@/components/ui/table";

export async function HistoryTable({ events }: { events: HistoryEvent[] }) {
  const t = await getTranslations("history");
  const locale = await getLocale();
  return (
    <Table
      caption={t("caption")}
      columns={[t("time"), t("action"), t("purpose"), t("version"), t("method"), t("receipt")]}
      testId="history-table"
    >
      {events.map((event) => {
        const when = formatDateTime(event.recordedAt, locale);
        const action = t(`actions.${event.action}`);
        return (
          <tr key={event.id} data-testid="history-row" data-event-id={event.id}>
            <td className="px-4 py-2 whitespace-nowrap">
              <time dateTime={event.recordedAt.toISOString()}>{when}</time>
            </td>
            <td className="px-4 py-2">{action}</td>
            <td className="px-4 py-2">{event.purposeName ?? t("wholeAgreement")}</td>
            <td className="px-4 py-2">{t("versionNumber", { number: event.versionNumber })}</td>
            <td className="px-4 py-2">{t(`methods.${event.method}`)}</td>
            <td className="px-4 py-2">
              <a
                href={`/api/v1/me/receipts/${event.id}`}
                download={`consent-receipt-${event.id}.json`}
                aria-label={t("downloadLabel", { seq: event.seq, action, when })}
                className="text-brand-700 underline"
              >
                {t("download")}
              </a>
              {event.prunedAt ? (
                <span className="block text-xs text-slate-600" data-testid="history-pruned">
                  {t("pruned", { at: formatDateTime(event.prunedAt, locale) })}
                </span>
              ) : null}
            </td>
          </tr>
        );
      })}
    </Table>
  );
}
