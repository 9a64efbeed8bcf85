import type { Metadata } from "next";
import { connection } from "next/server";
import { getLocale, getTranslations } from "next-intl/server";
import { ADMIN_ROLES, requirePageActor } from "@/lib/auth/actor";
import { listWebhookEndpoints } from "@/lib/webhooks/endpoints";
import { WEBHOOK_EVENT_TYPES } from "@/lib/webhooks/event-types";
import { CreateWebhookForm } from "@/components/webhooks/create-webhook-form";
import { EndpointsTable } from "@/components/webhooks/endpoints-table";
import { Section } from "@/components/ui/section";
import { listApiKeys } from "@/lib/api-keys/api-keys";
import { listReturnUrls } from "@/lib/hosted/return-urls";
import { formatDate } from "@/lib/format";
import { AddReturnUrlForm } from "@/components/hosted/return-urls";
import { ActionForm } from "@/components/admin/action-form";
import { Table } from "@/components/ui/table";
import { addReturnUrlAction, createWebhookAction, removeReturnUrlAction } from "./actions";

export const metadata: Metadata = { title: "Webhooks" };

export default async function WebhooksPage() {
  await connection();
  await requirePageActor("/admin/webhooks", ADMIN_ROLES);
  const [t, th] = await Promise.all([getTranslations("webhooks"), getTranslations("hostedAdmin")]);
  const locale = await getLocale();
  const [endpoints, keys, returnUrls] = await Promise.all([
    listWebhookEndpoints(),
    listApiKeys(),
    listReturnUrls(),
  ]);
  const keyName = new Map(keys.map((key) => [key.id, `${key.name} (${key.displayPrefix}…)`]));
  return (
    <div className="space-y-8">
      <header className="space-y-1">
        <h1 className="text-2xl font-bold text-slate-900">{t("title")}</h1>
        <p className="max-w-3xl text-sm text-slate-700">{t("intro")}</p>
      </header>
      <CreateWebhookForm action={createWebhookAction} eventTypes={WEBHOOK_EVENT_TYPES} />
      <Section id="endpoints" title={t("endpointsHeading")}>
        <EndpointsTable endpoints={endpoints} />
      </Section>
      <Section id="hosted" title={th("heading")}>
        <p className="max-w-3xl text-sm text-slate-700">{th("intro")}</p>
        <AddReturnUrlForm
          action={addReturnUrlAction}
          keys={keys
            .filter((key) => !key.revokedAt)
            .map(({ id, name, displayPrefix }) => ({ id, name, displayPrefix }))}
        />
        {returnUrls.length === 0 ? (
          <p className="text-sm text-slate-700">{th("none")}</p>
        ) : (
          <Table
            caption={th("caption")}
            columns={(["key", "prefix", "added", "actions"] as const).map((c) => th(`columns.${c}`))}
            testId="return-urls"
          >
            {returnUrls.map((entry) => (
              <tr key={entry.id}>
                <td className="px-4 py-2">{keyName.get(entry.apiKeyId) ?? entry.apiKeyId}</td>
                <td className="px-4 py-2 font-mono text-xs break-all">{entry.urlPrefix}</td>
                <td className="px-4 py-2 whitespace-nowrap">{formatDate(entry.createdAt, locale)}</td>
                <td className="px-4 py-2">
                  <ActionForm
                    action={removeReturnUrlAction}
                    fields={{ id: entry.id }}
                    label={th("remove")}
                    pendingLabel={th("removing")}
                    variant="secondary"
                  />
                </td>
              </tr>
            ))}
          </Table>
        )}
      </Section>
    </div>
  );
}
