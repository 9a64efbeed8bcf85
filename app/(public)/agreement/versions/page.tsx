import type { Metadata } from "next";
import Link from "next/link";
import { connection } from "next/server";
import { getLocale, getTranslations } from "next-intl/server";
import { listPublishedVersions } from "@/lib/agreements/versions";
import { getSettings } from "@/lib/settings";
import { dateIn } from "@/lib/settings/calendar";
import { formatDate, isoDate } from "@/lib/format";
import { VersionComparePicker } from "@/components/agreement/version-compare-picker";

export const metadata: Metadata = { title: "Agreement versions" };

const CELL = "px-3 py-2 align-top";

/**
 * Every published version in a compact table, grouped by the year it took
 * effect (in the organisation's time zone), with labels, real dates and a
 * picker to compare any two.
 */
export default async function VersionsPage() {
  await connection();
  const [t, locale] = await Promise.all([getTranslations("versions"), getLocale()]);
  const { timeZone, documentTitle } = getSettings();
  const versions = await listPublishedVersions();
  const years = new Map<string, typeof versions>();
  for (const v of versions) {
    const year = v.effectiveAt ? dateIn(v.effectiveAt, timeZone).slice(0, 4) : "—";
    years.set(year, [...(years.get(year) ?? []), v]);
  }
  const numbered = versions.flatMap((v) =>
    v.number === null
      ? []
      : [
          {
            number: v.number,
            label: v.label,
            date: v.effectiveAt ? formatDate(v.effectiveAt, locale, timeZone) : "—",
          },
        ],
  );
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-bold text-slate-900">{t("title", { title: documentTitle })}</h1>
      <p className="max-w-2xl text-slate-700">{t("listIntro")}</p>
      {numbered.length > 1 ? (
        <VersionComparePicker versions={numbered} heading={t("compareHeading")} />
      ) : null}
      {[...years].map(([year, rows]) => (
        <section key={year} aria-labelledby={`year-${year}`} className="space-y-2">
          <h2 id={`year-${year}`} className="text-lg font-semibold text-slate-900">
            {t("yearHeading", { year })}
          </h2>
          <div className="overflow-x-auto rounded-lg bg-white shadow-sm ring-1 ring-slate-200">
            <table className="min-w-full text-left text-sm">
              <thead className="bg-slate-50 text-slate-700">
                <tr>
                  <th scope="col" className={CELL}>
                    {t("columns.version")}
                  </th>
                  <th scope="col" className={CELL}>
                    {t("columns.label")}
                  </th>
                  <th scope="col" className={CELL}>
                    {t("columns.effective")}
                  </th>
                  <th scope="col" className={CELL}>
                    {t("columns.state")}
                  </th>
                  <th scope="col" className={CELL}>
                    {t("columns.change")}
                  </th>
                  <th scope="col" className={CELL}>
                    {t("columns.summary")}
                  </th>
                  <th scope="col" className={CELL}>
                    {t("columns.compare")}
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-200">
                {rows.map((v) => (
                  <tr key={v.id} data-testid="public-version">
                    <th scope="row" className={`${CELL} font-semibold`}>
                      <Link href={`/agreement/versions/${v.number}`} className="text-brand-700 underline">
                        {t("versionHeading", { number: v.number ?? 0 })}
                      </Link>
                    </th>
                    <td className={CELL}>{v.label ?? "—"}</td>
                    <td className={`${CELL} whitespace-nowrap`}>
                      {v.effectiveAt ? (
                        <time dateTime={isoDate(v.effectiveAt, timeZone)}>
                          {formatDate(v.effectiveAt, locale, timeZone)}
                        </time>
                      ) : (
                        "—"
                      )}
                    </td>
                    <td className={CELL}>{t(`states.${v.state}`)}</td>
                    <td className={CELL}>
                      <span
                        className={
                          v.material
                            ? "rounded bg-amber-100 px-2 py-0.5 text-xs font-semibold text-amber-950"
                            : "rounded bg-slate-100 px-2 py-0.5 text-xs font-medium text-slate-800"
                        }
                      >
                        {v.material ? t("material") : t("minor")}
                      </span>
                      {v.historical ? (
                        <span className="ml-1 rounded bg-slate-100 px-2 py-0.5 text-xs font-medium text-slate-800">
                          {t("historical")}
                        </span>
                      ) : null}
                    </td>
                    <td className={`${CELL} max-w-md whitespace-pre-line text-slate-800`}>
                      {v.changeSummary ?? t("noSummary")}
                    </td>
                    <td className={CELL}>
                      {v.number && v.number > 1 ? (
                        <Link
                          href={`/agreement/diff?from=${v.number - 1}&to=${v.number}`}
                          className="text-brand-700 underline"
                        >
                          {t("diffWithPrevious", { from: v.number - 1, to: v.number })}
                        </Link>
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      ))}
    </div>
  );
}
