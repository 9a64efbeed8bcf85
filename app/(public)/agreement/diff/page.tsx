import type { Metadata } from "next";
import Link from "next/link";
import { connection } from "next/server";
import { getLocale, getTranslations } from "next-intl/server";
import { textForReader } from "@/lib/agreements/translations";
import { languageName as nameOf } from "@/lib/i18n/locales";
import { z } from "zod";
import { getPublishedVersion, listPublishedVersions } from "@/lib/agreements/versions";
import { getVersionDiff } from "@/lib/agreements/render/store";
import { formatDate, isoDate } from "@/lib/format";
import { getSettings } from "@/lib/settings";
import { DiffPicker } from "@/components/agreement/diff-picker";
import { VersionChanges } from "@/components/agreement/version-changes";
import { Alert } from "@/components/ui/alert";

export const metadata: Metadata = { title: "Changes between versions" };

const versionNumber = z.coerce.number().int().min(1).max(1_000_000_000);
const query = z.object({
  from: versionNumber,
  to: versionNumber,
  view: z.enum(["unified", "split"]).catch("unified").default("unified"),
  /** "authoritative": compare the versions' own texts even when both are translated into the reader's language. */
  text: z.enum(["reader", "authoritative"]).catch("reader").default("reader"),
});

/**
 * Changes between any two published versions, summary first, then by section.
 * The diff comes from storage (consecutive versions: stored at publish; any
 * other pair: computed once in the render worker and cached).
 */
export default async function DiffPage({ searchParams }: PageProps<"/agreement/diff">) {
  await connection();
  const t = await getTranslations("versions");
  const parsed = query.safeParse(await searchParams);
  if (!parsed.success) {
    return <Alert tone="error" title={t("diff.badQuery")} />;
  }
  const [from, to, versions] = await Promise.all([
    getPublishedVersion(parsed.data.from),
    getPublishedVersion(parsed.data.to),
    listPublishedVersions(),
  ]);
  if (!from || !to) return <Alert tone="error" title={t("diff.unknownVersion")} />;
  // Diffs work per language: both versions translated into the reader's language compare as translations.
  const locale = await getLocale();
  const [shownFrom, shownTo] = await Promise.all([
    textForReader(from, locale, parsed.data.text),
    textForReader(to, locale, parsed.data.text),
  ]);
  const translated = shownFrom.isTranslation && shownTo.isTranslation && shownFrom.locale === shownTo.locale;
  const diff = translated
    ? await getVersionDiff(
        { id: shownFrom.id, bodyMarkdown: shownFrom.bodyMarkdown, kind: "translation" },
        { id: shownTo.id, bodyMarkdown: shownTo.bodyMarkdown, kind: "translation" },
      )
    : await getVersionDiff(from, to);
  const languageName = (tag: string) => nameOf(tag, locale);
  const authoritativeHref = `/agreement/diff?from=${from.number ?? 0}&to=${to.number ?? 0}&view=${parsed.data.view}&text=authoritative`;
  const label = t("diff.title", { from: from.number ?? 0, to: to.number ?? 0 });
  const { timeZone } = getSettings();
  return (
    <div className="space-y-6">
      <p className="text-sm">
        <Link href="/agreement/versions" className="text-brand-700 underline">
          {t("allVersionsLink")}
        </Link>
      </p>
      <h1 className="text-2xl font-bold text-slate-900">{label}</h1>
      <DiffPicker versions={versions} from={from.number ?? 0} to={to.number ?? 0} view={parsed.data.view} />
      <section
        aria-labelledby="summary-heading"
        className="rounded-lg bg-white p-5 shadow-sm ring-1 ring-slate-200"
      >
        <h2 id="summary-heading" className="font-semibold text-slate-900">
          {t("diff.summaryHeading", { number: to.number ?? 0 })}
        </h2>
        <p className="mt-1 whitespace-pre-line text-slate-800" data-testid="diff-summary">
          {to.changeSummary ?? t("diff.noSummary")}
        </p>
        <p className="mt-2 text-sm text-slate-700">
          {t("diff.effective", { number: to.number ?? 0 })}{" "}
          {to.effectiveAt ? (
            <time dateTime={isoDate(to.effectiveAt, timeZone)} data-testid="diff-effective">
              {formatDate(to.effectiveAt, locale, timeZone)}
            </time>
          ) : (
            "—"
          )}
          {" · "}
          {to.material ? t("material") : t("minor")}
        </p>
      </section>
      {translated ? (
        <p
          className="rounded-md border border-sky-200 bg-sky-50 p-3 text-sm text-sky-950"
          data-testid="translation-note"
        >
          {t("diff.translationNote", {
            language: languageName(shownTo.locale),
            authoritative: languageName(shownTo.authoritativeLocale),
          })}{" "}
          <Link
            href={authoritativeHref}
            className="font-medium underline"
            hrefLang={shownTo.authoritativeLocale}
          >
            {t("diff.authoritativeLink", { authoritative: languageName(shownTo.authoritativeLocale) })}
          </Link>
        </p>
      ) : null}
      {diff.ok ? (
        <div lang={translated ? shownTo.locale : to.locale}>
          <VersionChanges
            from={from}
            to={to}
            diff={diff.data}
            view={parsed.data.view}
            label={label}
            purposesHeading={t("purposes.heading")}
            textHeading={t("diff.textHeading")}
          />
        </div>
      ) : (
        <Alert tone="error" title={t("diff.failed")}>
          {diff.message}
        </Alert>
      )}
    </div>
  );
}
