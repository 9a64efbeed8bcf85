import { getLocale, getTranslations } from "next-intl/server";
import type { FormAction } from "@/lib/auth/action";
import type { DeliveryLogEntry } from "@/lib/webhooks/endpoints";
import { formatDateTime } from "@/lib/format";
import { ActionForm } from "@/components/admin/action-form";
import { Table } from "@/components/ui/table";

interface DeliveriesTableProps<T> {
  endpointId: string;
  deliveries: DeliveryLogEntry[];
  replayAction: FormAction<T>;
}

/** The delivery log: each delivery with its attempts (code and time), and a replay button once it has settled. */
export async function DeliveriesTable<T>({ endpointId, deliveries, replayAction }: DeliveriesTableProps<T>) {
  const [t, locale] = await Promise.all([getTranslations("webhooks"), getLocale()]);
  if (deliveries.length === 0) return <p className="text-sm text-slate-700">{t("noDeliveries")}</p>;
  return (
    <Table
      caption={t("deliveriesCaption")}
      columns={(["event", "message", "queued", "status", "attempts"] as const).map((column) =>
        t(`deliveryColumns.${column}`),
      )}
      testId="webhook-deliveries"
    >
      {deliveries.map((delivery) => (
        <tr key={delivery.id} data-testid="delivery-row" className="align-top">
          <td className="px-4 py-2 font-mono text-xs">{delivery.eventType}</td>
          <td className="px-4 py-2 font-mono text-xs break-all">{delivery.messageId}</td>
          <td className="px-4 py-2 whitespace-nowrap">{formatDateTime(delivery.createdAt, locale)}</td>
          <td className="px-4 py-2">
            <span data-testid="delivery-status">{t(`status.${delivery.status}`)}</span>
            {delivery.status === "PENDING" && delivery.attempts > 0 ? (
              <p className="text-xs text-slate-600">
                {t("nextAttempt", { date: formatDateTime(delivery.nextAttemptAt, locale) })}
              </p>
            ) : null}
            {delivery.status === "DELIVERED" || delivery.status === "FAILED" ? (
              <ActionForm
                action={replayAction}
                fields={{ endpointId, deliveryId: delivery.id }}
                label={t("replay")}
                pendingLabel={t("replaying")}
                variant="secondary"
              />
            ) : null}
          </td>
          <td className="px-4 py-2">
            <ol className="space-y-0.5 text-xs">
              {delivery.attemptLog.map((attempt, index) => (
                <li key={index} className={attempt.error ? "text-red-700" : undefined}>
                  {t("attempt", {
                    date: formatDateTime(attempt.attemptedAt, locale),
                    code: attempt.statusCode ?? t("noResponse"),
                    ms: attempt.durationMs,
                  })}
                </li>
              ))}
            </ol>
          </td>
        </tr>
      ))}
    </Table>
  );
}
