import { getTranslations } from "next-intl/server";
import { renderMarkdown } from "@/lib/agreements/render/pool";
import { getRendering } from "@/lib/agreements/render/store";
import { formatDate, isoDate } from "@/lib/format";
import { Alert } from "@/components/ui/alert";

interface AgreementViewProps {
  id: string;
  title: string;
  number: number | null;
  bodyMarkdown: string;
  bodySha256: string;
  effectiveAt: Date | null;
  lastUpdated: Date | null;
}

/**
 * A published version's HTML comes from storage (rendered once, at publish);
 * a draft's is rendered in the render worker, within its limits.
 */
async function renderedBody(id: string, number: number | null, bodyMarkdown: string) {
  if (number !== null) {
    const stored = await getRendering({ id, bodyMarkdown });
    return stored.ok
      ? { ok: true as const, ...stored.data }
      : { ok: false as const, message: stored.message };
  }
  const rendered = await renderMarkdown(bodyMarkdown);
  return rendered.ok
    ? { ok: true as const, ...rendered.value }
    : { ok: false as const, message: rendered.error.message };
}

/** The agreement as a reader sees it: dates, contents, then the sanitised text. */
export async function AgreementView({
  id,
  title,
  number,
  bodyMarkdown,
  bodySha256,
  effectiveAt,
  lastUpdated,
}: AgreementViewProps) {
  const t = await getTranslations("agreement");
  const body = await renderedBody(id, number, bodyMarkdown);
  if (!body.ok)
    return (
      <Alert tone="error" title={t("renderFailed")}>
        {body.message}
      </Alert>
    );
  const { html, toc } = body;
  return (
    <article className="rounded-lg bg-white p-6 shadow-sm ring-1 ring-slate-200 sm:p-10 print:p-0 print:shadow-none print:ring-0">
      <header className="border-b border-slate-200 pb-6">
        <h1 className="text-3xl font-bold tracking-tight text-slate-900">{title}</h1>
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
              {effectiveAt ? <time dateTime={isoDate(effectiveAt)}>{formatDate(effectiveAt)}</time> : "—"}
            </dd>
          </div>
          <div>
            <dt className="font-medium text-slate-500">{t("lastUpdated")}</dt>
            <dd data-testid="last-updated">
              {lastUpdated ? <time dateTime={isoDate(lastUpdated)}>{formatDate(lastUpdated)}</time> : "—"}
            </dd>
          </div>
        </dl>
      </header>
      <nav aria-labelledby="toc-heading" className="no-print my-6 rounded-md bg-slate-50 p-4">
        <h2 id="toc-heading" className="text-sm font-semibold uppercase tracking-wide text-slate-600">
          {t("contents")}
        </h2>
        <ol className="mt-2 space-y-1 text-sm">
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
