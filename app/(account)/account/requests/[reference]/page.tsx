import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getLocale, getTranslations } from "next-intl/server";
import { requirePageActor } from "@/lib/auth/actor";
import { getOwnRequest } from "@/lib/rights/requests";
import { Alert } from "@/components/ui/alert";
import { Section } from "@/components/ui/section";
import { WrittenText } from "@/components/rights/written-text";
import { RequestFacts } from "@/components/rights/request-facts";
import { StatusBadge } from "@/components/rights/status-badge";
import { formatDate } from "@/lib/format";

export const metadata: Metadata = { title: "My request" };

export default async function RequestPage({
  params,
  searchParams,
}: PageProps<"/account/requests/[reference]">) {
  const { reference } = await params;
  const actor = await requirePageActor(`/account/requests/${encodeURIComponent(reference)}`);
  // The owner is part of the query: another user's reference is simply not found.
  const request = await getOwnRequest(actor.id, reference);
  if (!request) notFound();
  const [t, query] = await Promise.all([getTranslations("requests"), searchParams]);
  const locale = await getLocale();
  return (
    <div className="space-y-6">
      <Link href="/account/requests" className="text-sm text-brand-700 underline">
        {t("back")}
      </Link>
      <h1 className="text-2xl font-bold text-slate-900">
        {t("detailTitle", { reference: request.reference })}
      </h1>
      {query.opened ? (
        <Alert tone="success" role="status" title={t("opened", { reference: request.reference })} />
      ) : null}
      <RequestFacts
        facts={[
          [t("facts.type"), t(`types.${request.type}`)],
          [t("facts.status"), <StatusBadge key="status" status={request.status} />],
          [t("facts.received"), formatDate(request.receivedAt, locale)],
          request.closedAt
            ? [t("facts.closed"), formatDate(request.closedAt, locale)]
            : [t("facts.due"), formatDate(request.dueAt, locale)],
        ]}
      />
      {request.message ? (
        <Section id="message" title={t("yourMessage")}>
          <WrittenText>{request.message}</WrittenText>
        </Section>
      ) : null}
      <Section id="outcome" title={t("outcomeHeading")}>
        {request.outcome ? (
          <WrittenText data-testid="request-outcome">{request.outcome}</WrittenText>
        ) : (
          <p className="text-sm text-slate-700">{t("noOutcome")}</p>
        )}
      </Section>
    </div>
  );
}
