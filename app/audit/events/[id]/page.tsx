import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getTranslations, getLocale } from "next-intl/server";
import { AUDIT_ROLES, requirePageActor } from "@/lib/auth/actor";
import { getEventEvidence } from "@/lib/audit/evidence";
import { formatDateTime } from "@/lib/format";
import { EvidenceView } from "@/components/audit/evidence-view";

export const metadata: Metadata = { title: "Consent event evidence" };

export default async function EventEvidencePage({ params }: PageProps<"/audit/events/[id]">) {
  const { id } = await params;
  await requirePageActor(`/audit/events/${id}`, AUDIT_ROLES);
  const t = await getTranslations("auditExplorer");
  const locale = await getLocale();
  const evidence = await getEventEvidence(id);
  if (!evidence) notFound();
  const { event } = evidence;
  return (
    <div className="space-y-6">
      <Link href="/audit" className="text-sm text-brand-700 underline">
        {t("back")}
      </Link>
      <header className="space-y-1">
        <h1 className="text-2xl font-bold text-slate-900">{t("evidenceTitle")}</h1>
        <p className="text-slate-700">
          {t(`actions.${event.action as "AGREEMENT_ACCEPTED"}`)}
          {event.purposeKey ? ` — ${event.purposeKey}` : ""} ·{" "}
          {formatDateTime(new Date(event.recordedAt), locale)} · {t(`methods.${event.method as "WEB"}`)}
        </p>
        <p className="text-sm text-slate-600">{t("evidenceIntro")}</p>
        {event.prunedAt ? (
          <p className="text-sm font-medium text-slate-800" data-testid="evidence-pruned">
            {t("prunedOn", { at: formatDateTime(new Date(event.prunedAt), locale) })}
          </p>
        ) : null}
      </header>
      <EvidenceView evidence={evidence} />
    </div>
  );
}
