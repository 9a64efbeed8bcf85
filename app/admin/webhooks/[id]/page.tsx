import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { connection } from "next/server";
import { getLocale, getTranslations } from "next-intl/server";
import { ADMIN_ROLES, requirePageActor } from "@/lib/auth/actor";
import { getWebhookEndpoint, listDeliveries } from "@/lib/webhooks/endpoints";
import { webhookIdSchema } from "@/lib/webhooks/schemas";
import { formatDateTime } from "@/lib/format";
import { DeliveriesTable } from "@/components/webhooks/deliveries-table";
import { ActionForm } from "@/components/admin/action-form";
import { Section } from "@/components/ui/section";
import {
  deleteWebhookAction,
  replayDeliveryAction,
  sendTestEventAction,
  setWebhookEnabledAction,
} from "../actions";

export const metadata: Metadata = { title: "Webhook endpoint" };

export default async function WebhookEndpointPage({ params }: PageProps<"/admin/webhooks/[id]">) {
  await connection();
  const { id } = await params;
  await requirePageActor(`/admin/webhooks/${id}`, ADMIN_ROLES);
  const parsed = webhookIdSchema.safeParse({ endpointId: id });
  if (!parsed.success) notFound();
  const endpoint = await getWebhookEndpoint(parsed.data.endpointId);
  if (!endpoint.ok) notFound();
  const [t, locale, deliveries] = await Promise.all([
    getTranslations("webhooks"),
    getLocale(),
    listDeliveries(endpoint.data.id),
  ]);
  const e = endpoint.data;
  // The stored reasons are the dispatcher's and the toggle's English sentences: shown in the page's language.
  const disabledReason = (reason: string | null) => {
    if (reason === null) return "";
    if (reason === "Disabled by hand.") return t("reasonManual");
    const failures = /^Disabled after (\d+) failed attempts in a row\.$/.exec(reason)?.[1];
    return failures ? t("reasonFailures", { count: Number(failures) }) : reason;
  };
  return (
    <div className="space-y-8">
      <p>
        <Link href="/admin/webhooks" className="text-sm text-blue-800 underline">
          {t("back")}
        </Link>
      </p>
      <header className="space-y-2">
        <h1 className="font-mono text-xl font-bold break-all text-slate-900">{e.url}</h1>
        {e.description ? <p className="text-sm text-slate-700">{e.description}</p> : null}
        <p className="text-sm text-slate-800" data-testid="endpoint-state">
          {e.disabledAt
            ? t("disabledSince", {
                date: formatDateTime(e.disabledAt, locale),
                reason: disabledReason(e.disabledReason),
              })
            : t("enabled")}
          {e.consecutiveFailures > 0 ? ` · ${t("failing", { count: e.consecutiveFailures })}` : ""}
        </p>
        <ul className="flex flex-wrap gap-2">
          {e.eventTypes.map((type) => (
            <li key={type} className="rounded bg-slate-100 px-2 py-0.5 font-mono text-xs text-slate-800">
              {type}
            </li>
          ))}
        </ul>
        <div className="flex flex-wrap items-start gap-3 pt-2">
          {e.disabledAt ? (
            <ActionForm
              action={setWebhookEnabledAction}
              fields={{ endpointId: e.id, enabled: "true" }}
              label={t("enable")}
              pendingLabel={t("enabling")}
            />
          ) : (
            <>
              <ActionForm
                action={sendTestEventAction}
                fields={{ endpointId: e.id }}
                label={t("sendTest")}
                pendingLabel={t("sendingTest")}
              />
              <ActionForm
                action={setWebhookEnabledAction}
                fields={{ endpointId: e.id, enabled: "false" }}
                label={t("disable")}
                pendingLabel={t("disabling")}
                variant="secondary"
              />
            </>
          )}
          <ActionForm
            action={deleteWebhookAction}
            fields={{ endpointId: e.id }}
            label={t("delete")}
            pendingLabel={t("deleting")}
            variant="danger"
            confirm={t("deleteConfirm")}
          />
        </div>
      </header>
      <Section id="deliveries" title={t("deliveriesHeading")}>
        <p className="text-sm text-slate-700">{t("deliveriesIntro")}</p>
        <DeliveriesTable endpointId={e.id} deliveries={deliveries} replayAction={replayDeliveryAction} />
      </Section>
    </div>
  );
}
