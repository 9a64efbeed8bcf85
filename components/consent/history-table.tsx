import { getTranslations } from "next-intl/server";
import type { HistoryEvent } from "@/lib/consent/history";
import { formatDateTime } from "@/lib/format";

export async function HistoryTable({ events }: { events: HistoryEvent[] }) {
  const t = await getTranslations("history");
  return (
    <div className="overflow-x-auto rounded-lg bg-white shadow-sm ring-1 ring-slate-200">
      <table className="w-full text-left text-sm" data-testid="history-table">
        <caption className="sr-only">{t("caption")}</caption>
        <thead className="bg-slate-100 text-slate-800">
          <tr>
            <th scope="col" className="px-3 py-2 font-semibold">
              {t("time")}
            </th>
            <th scope="col" className="px-3 py-2 font-semibold">
              {t("action")}
            </th>
            <th scope="col" className="px-3 py-2 font-semibold">
              {t("purpose")}
            </th>
            <th scope="col" className="px-3 py-2 font-semibold">
              {t("version")}
            </th>
            <th scope="col" className="px-3 py-2 font-semibold">
              {t("method")}
            </th>
            <th scope="col" className="px-3 py-2 font-semibold">
              {t("receipt")}
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-200">
          {events.map((event) => {
            const when = formatDateTime(event.recordedAt);
            const action = t(`actions.${event.action}`);
            return (
              <tr key={event.id} data-testid="history-row" data-event-id={event.id}>
                <td className="px-3 py-2 whitespace-nowrap">
                  <time dateTime={event.recordedAt.toISOString()}>{when}</time>
                </td>
                <td className="px-3 py-2">{action}</td>
                <td className="px-3 py-2">{event.purposeName ?? t("wholeAgreement")}</td>
                <td className="px-3 py-2">{t("versionNumber", { number: event.versionNumber })}</td>
                <td className="px-3 py-2">{t(`methods.${event.method}`)}</td>
                <td className="px-3 py-2">
                  <a
                    href={`/api/v1/me/receipts/${event.id}`}
                    download={`consent-receipt-${event.id}.json`}
                    aria-label={t("downloadLabel", { seq: event.seq, action, when })}
                    className="text-brand-700 underline"
                  >
                    {t("download")}
                  </a>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
