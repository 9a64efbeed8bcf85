import type { Metadata } from "next";
import { connection } from "next/server";
import { getTranslations } from "next-intl/server";
import { ADMIN_ROLES, requirePageActor } from "@/lib/auth/actor";
import { listWebhookEndpoints } from "@/lib/webhooks/endpoints";
import { WEBHOOK_EVENT_TYPES } from "@/lib/webhooks/event-types";
import { CreateWebhookForm } from "@/components/webhooks/create-webhook-form";
import { EndpointsTable } from "@/components/webhooks/endpoints-table";
import { Section } from "@/components/ui/section";
import { createWebhookAction } from "./actions";

export const metadata: Metadata = { title: "Webhooks" };

export default async function WebhooksPage() {
  await connection();
  await requirePageActor("/admin/webhooks", ADMIN_ROLES);
  const t = await getTranslations("webhooks");
  const endpoints = await listWebhookEndpoints();
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
    </div>
  );
}
