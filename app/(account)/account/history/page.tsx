import type { Metadata } from "next";
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { z } from "zod";
import { requirePageActor } from "@/lib/auth/actor";
import { requestMeta } from "@/lib/http/request-meta";
import { applyGpcSignal } from "@/lib/consent/gpc";
import { listConsentEvents } from "@/lib/consent/history";
import { HistoryTable } from "@/components/consent/history-table";

export const metadata: Metadata = { title: "My consent history" };

const beforeSchema = z.coerce.number<unknown>().int().positive().optional().catch(undefined);

export default async function HistoryPage({ searchParams }: PageProps<"/account/history">) {
  const actor = await requirePageActor("/account/history");
  await applyGpcSignal(actor.id, await requestMeta());
  const before = beforeSchema.parse((await searchParams).before);
  const [t, { events, nextBefore }] = await Promise.all([
    getTranslations("history"),
    // Always the signed-in user's own events: no parameter selects another subject.
    listConsentEvents(actor.id, { before }),
  ]);
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-bold text-slate-900">{t("title")}</h1>
      <p className="text-sm text-slate-700">{t("intro")}</p>
      {events.length === 0 ? (
        <p className="text-sm text-slate-700">{t("empty")}</p>
      ) : (
        <HistoryTable events={events} />
      )}
      <nav className="flex gap-4 text-sm" aria-label={t("pages")}>
        {before !== undefined ? (
          <Link href="/account/history" className="text-brand-700 underline">
            {t("newest")}
          </Link>
        ) : null}
        {nextBefore !== null ? (
          <Link href={`/account/history?before=${nextBefore}`} className="text-brand-700 underline">
            {t("older")}
          </Link>
        ) : null}
      </nav>
    </div>
  );
}
