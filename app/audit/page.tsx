import type { Metadata } from "next";
import Link from "next/link";
import { getLocale, getTranslations } from "next-intl/server";
import { AUDIT_ROLES, requirePageActor } from "@/lib/auth/actor";
import { zodFieldErrors } from "@/lib/auth/action";
import { localizeFieldErrors } from "@/lib/i18n/server-errors";
import { defaultLocale, isLocale } from "@/lib/i18n/locales";
import { explorerQuerySchema, filtersToSearchParams, flattenSearchParams } from "@/lib/audit/filters";
import { listConsentEvents, listPurposeKeys } from "@/lib/audit/explorer";
import { Alert } from "@/components/ui/alert";
import { EventFiltersForm } from "@/components/audit/event-filters-form";
import { EventsTable } from "@/components/audit/events-table";
import { ExportLinks } from "@/components/audit/export-links";

export const metadata: Metadata = { title: "Consent log" };

export default async function AuditExplorerPage({ searchParams }: PageProps<"/audit">) {
  await requirePageActor("/audit", AUDIT_ROLES);
  const [t, locale] = await Promise.all([getTranslations("auditExplorer"), getLocale()]);
  const values = flattenSearchParams(await searchParams);
  const purposeKeys = await listPurposeKeys();
  const parsed = explorerQuerySchema(purposeKeys).safeParse(values);

  const header = (
    <header className="space-y-1">
      <h1 className="text-2xl font-bold text-slate-900">{t("title")}</h1>
      <p className="text-slate-700">{t("intro")}</p>
    </header>
  );
  if (!parsed.success) {
    return (
      <div className="space-y-6">
        {header}
        <Alert tone="error" title={t("invalidTitle")} role="alert">
          {t("invalidBody")}
        </Alert>
        <EventFiltersForm
          values={values}
          purposeKeys={purposeKeys}
          errors={localizeFieldErrors(
            zodFieldErrors(parsed.error),
            isLocale(locale) ? locale : defaultLocale,
          )}
        />
      </div>
    );
  }

  const query = parsed.data;
  const page = await listConsentEvents(query);
  const raw = query.filters.raw;
  const limit: Record<string, string> = values.limit ? { limit: String(query.limit) } : {};
  return (
    <div className="space-y-6">
      {header}
      <EventFiltersForm values={values} purposeKeys={purposeKeys} />
      <section aria-labelledby="results-title" className="space-y-3">
        <h2 id="results-title" className="sr-only">
          {t("resultsCaption")}
        </h2>
        <div className="flex flex-wrap items-center gap-4 text-sm text-slate-700">
          <p role="status">{t("pageSummary", { count: page.rows.length })}</p>
          {page.total !== null ? (
            <p data-testid="event-count">{t("countResult", { count: page.total })}</p>
          ) : (
            <Link
              href={`/audit?${filtersToSearchParams(raw, { ...limit, count: "1" })}`}
              className="text-brand-700 underline"
            >
              {t("count")}
            </Link>
          )}
        </div>
        <EventsTable rows={page.rows} />
        <nav aria-label={t("pagesLabel")} className="flex gap-6 text-sm">
          {query.cursor ? (
            <Link href={`/audit?${filtersToSearchParams(raw, limit)}`} className="text-brand-700 underline">
              {t("firstPage")}
            </Link>
          ) : null}
          {page.nextCursor ? (
            <Link
              href={`/audit?${filtersToSearchParams(raw, { ...limit, cursor: page.nextCursor })}`}
              className="text-brand-700 underline"
              rel="next"
            >
              {t("nextPage")}
            </Link>
          ) : null}
        </nav>
      </section>
      <ExportLinks filters={raw} />
    </div>
  );
}
