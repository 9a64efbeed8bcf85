import Link from "next/link";
import { getLocale, getTranslations } from "next-intl/server";
import type { WebhookEndpointSummary } from "@/lib/webhooks/endpoints";
import { formatDate } from "@/lib/format";
import { Table } from "@/components/ui/table";

export async function EndpointsTable({ endpoints }: { endpoints: WebhookEndpointSummary[] }) {
  const [t, locale] = await Promise.all([getTranslations("webhooks"), getLocale()]);
  if (endpoints.length === 0) return <p className="text-sm text-slate-700">{t("none")}</p>;
  return (
    <Table
      caption={t("caption")}
      columns={(["url", "events", "created", "status"] as const).map((column) => t(`columns.${column}`))}
      testId="webhook-endpoints"
    >
      {endpoints.map((endpoint) => (
        <tr key={endpoint.id} data-testid="webhook-row">
          <td className="px-4 py-2">
            <Link
              href={`/admin/webhooks/${endpoint.id}`}
              className="font-mono text-xs break-all text-blue-800 underline"
            >
              {endpoint.url}
            </Link>
            {endpoint.description ? <p className="text-xs text-slate-600">{endpoint.description}</p> : null}
          </td>
          <td className="px-4 py-2">
            <ul className="space-y-0.5">
              {endpoint.eventTypes.map((type) => (
                <li key={type} className="font-mono text-xs">
                  {type}
                </li>
              ))}
            </ul>
          </td>
          <td className="px-4 py-2 whitespace-nowrap">{formatDate(endpoint.createdAt, locale)}</td>
          <td className="px-4 py-2">
            {endpoint.disabledAt ? t("disabled") : t("enabled")}
            {endpoint.consecutiveFailures > 0 ? (
              <p className="text-xs text-red-700">{t("failing", { count: endpoint.consecutiveFailures })}</p>
            ) : null}
          </td>
        </tr>
      ))}
    </Table>
  );
}
