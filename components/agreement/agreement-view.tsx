import Link from "next/link";
import { getLocale, getTranslations } from "next-intl/server";
import { textForReader } from "@/lib/agreements/translations";
import { defaultLocale, isLocale, languageName as nameOf } from "@/lib/i18n/locales";
import { failureMessage } from "@/lib/i18n/server-errors";
import { renderMarkdown } from "@/lib/agreements/render/pool";
import { getRendering } from "@/lib/agreements/render/store";
import { formatDate, isoDate } from "@/lib/format";
import { getSettings } from "@/lib/settings";
import { Alert } from "@/components/ui/alert";

interface AgreementViewProps {
  id: string;
  /** Language of the authoritative text. */
  locale?: string;
  title: string;
  number: number | null;
  bodyMarkdown: string;
  bodySha256: string;
  effectiveAt: Date | null;
  lastUpdated: Date | null;
  /**
   * For a published version: show the reader's language when the version is
   * translated into it ("reader"), or always its own text ("authoritative").
   */
  text?: "reader" | "authoritative";
  /** Where the authoritative text of this version is read (the translation note links to it). */
  authoritativeHref?: string;
}

/**
 * A published version's HTML comes from storage (rendered once, at publish);
 * a draft's is rendered in the render worker, within its limits.
 */
async function renderedBody(
  id: string,
  number: number | null,
  bodyMarkdown: string,
  kind: "version" | "translation" = "version",
) {
  if (number !== null) {
    const stored = await getRendering({ id, bodyMarkdown, kind });
    return stored.ok ? { ok: true as const, ...stored.data } : { ok: false as const, failure: stored };
  }
  const rendered = await renderMarkdown(bodyMarkdown);
  return rendered.ok
    ? { ok: true as const, ...rendered.value }
    : { ok: false as const, failure: { ...rendered.error, code: `render_${rendered.error.code}` } };
}

/** The agreement as a reader sees it: dates, contents, then the sanitised text. */
export async function AgreementView({
  id,
  locale: versionLocale = "en",
  title: ownTitle,
  number,
  bodyMarkdown: ownBody,
  bodySha256: ownSha256,
  effectiveAt,
  lastUpdated,
  text,
  authoritativeHref,
}: AgreementViewProps) {
  const t = await getTranslations("agreement");
  const readerLocale = await getLocale();
  const version = {
    id,
    locale: versionLocale,
    title: ownTitle,
    bodyMarkdown: ownBody,
    bodySha256: ownSha256,
  };
  // Drafts (number null) show their own text; published versions the reader's language when translated.
  const shown = number !== null && text ? await textForReader(version, readerLocale, text) : null;
  const title = shown?.title ?? ownTitle;
  const bodySha256 = shown?.bodySha256 ?? ownSha256;
  const lang = shown?.locale ?? versionLocale;
  const languageName = (tag: string) => nameOf(tag, readerLocale);
  const body = await renderedBody(shown?.id ?? id, number, shown?.bodyMarkdown ?? ownBody, shown?.kind);
  if (!body.ok)
    return (
      <Alert tone="error" title={t("renderFailed")}>
        {failureMessage(body.failure, isLocale(readerLocale) ? readerLocale : defaultLocale)}
      </Alert>
    );
  const { html, toc } = body;
  // The effective date is an instant, read in the organisation's time zone; the last-updated
  // date is stored as a calendar date (a DATE column), so it is shown as stored.
  const { timeZone } = getSettings();
  return (
    <article className="rounded-lg bg-white p-6 shadow-sm ring-1 ring-slate-200 sm:p-10 print:p-0 print:shadow-none print:ring-0">
      {shown?.isTranslation ? (
        <p
          lang={readerLocale}
          className="mb-6 rounded-md border border-sky-200 bg-sky-50 p-3 text-sm text-sky-950"
          data-testid="translation-note"
        >
          {t("translationNote", {
            language: languageName(shown.locale),
            authoritative: languageName(shown.authoritativeLocale),
          })}{" "}
          {authoritativeHref ? (
            <Link
              href={authoritativeHref}
              className="font-medium underline"
              hrefLang={shown.authoritativeLocale}
            >
              {t("readAuthoritative", { authoritative: languageName(shown.authoritativeLocale) })}
            </Link>
          ) : null}
        </p>
      ) : null}
      <header className="border-b border-slate-200 pb-6">
        <h1 lang={lang} className="text-3xl font-bold tracking-tight text-slate-900">
          {title}
        </h1>
        <dl className="mt-4 grid grid-cols-1 gap-2 text-sm text-slate-700 sm:grid-cols-3">
          {number !== null ? (
            <div>
              <dt className="font-medium text-slate-500">{t("version")}</dt>
              <dd data-testid="agreement-version">{number}</dd>
            </div>
          ) : null}
          <div>
            <dt className="font-medium text-slate-500">{t("effectiveDate")}</dt>
            <dd data-testid="effective-date">
              {effectiveAt ? (
                <time dateTime={isoDate(effectiveAt, timeZone)}>
                  {formatDate(effectiveAt, readerLocale, timeZone)}
                </time>
              ) : (
                "—"
              )}
            </dd>
          </div>
          <div>
            <dt className="font-medium text-slate-500">{t("lastUpdated")}</dt>
            <dd data-testid="last-updated">
              {lastUpdated ? (
                <time dateTime={isoDate(lastUpdated)}>{formatDate(lastUpdated, readerLocale)}</time>
              ) : (
                "—"
              )}
            </dd>
          </div>
        </dl>
      </header>
      <nav aria-labelledby="toc-heading" className="no-print my-6 rounded-md bg-slate-50 p-4">
        <h2 id="toc-heading" className="text-sm font-semibold uppercase tracking-wide text-slate-600">
          {t("contents")}
        </h2>
        <ol lang={lang} className="mt-2 space-y-1 text-sm">
          {toc.map((entry) => (
            <li key={entry.id} className={entry.depth === 3 ? "ml-5" : ""}>
              <a href={`#${entry.id}`} className="text-brand-700 hover:underline">
                {entry.text}
              </a>
            </li>
          ))}
        </ol>
      </nav>
      <div
        lang={lang}
        className="agreement-body prose prose-slate max-w-none prose-headings:scroll-mt-20 prose-a:text-brand-700 prose-h4:text-base prose-h4:font-semibold [&_h5]:text-sm [&_h5]:font-semibold [&_h6]:text-sm [&_h6]:font-semibold [&_h6]:uppercase [&_h6]:tracking-wide [&_h6]:text-slate-600"
        // Sanitised by rehype-sanitize in lib/agreements/markdown.ts.
        dangerouslySetInnerHTML={{ __html: html }}
      />
      <p className="mt-8 break-all border-t border-slate-200 pt-4 font-mono text-xs text-slate-500">
        {t("fingerprint")}: <span data-testid="agreement-sha256">{bodySha256}</span>
      </p>
    </article>
  );
}
