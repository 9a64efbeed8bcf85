import type { Metadata } from "next";
import Link from "next/link";
import { connection } from "next/server";
import { getTranslations } from "next-intl/server";
import { listPublishedVersions } from "@/lib/agreements/versions";
import { formatDate, isoDate } from "@/lib/format";

export const metadata: Metadata = { title: "Agreement versions" };

export default async function VersionsPage() {
  await connection();
  const t = await getTranslations("versions");
  const versions = await listPublishedVersions();
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-bold text-slate-900">{t("title")}</h1>
      <p className="max-w-2xl text-slate-700">{t("intro")}</p>
      <ol className="space-y-4">
        {versions.map((v) => (
          <li
            key={v.id}
            className="rounded-lg bg-white p-5 shadow-sm ring-1 ring-slate-200"
            data-testid="public-version"
          >
            <div className="flex flex-wrap items-baseline gap-x-4 gap-y-1">
              <h2 className="text-lg font-semibold">
                <Link href={`/agreement/versions/${v.number}`} className="text-brand-700 underline">
                  {t("versionHeading", { number: v.number ?? 0 })}
                </Link>
              </h2>
              <span className="text-sm font-medium text-slate-800">{t(`states.${v.state}`)}</span>
              {v.material ? (
                <span className="rounded bg-amber-100 px-2 py-0.5 text-xs font-semibold text-amber-950">
                  {t("material")}
                </span>
              ) : (
                <span className="rounded bg-slate-100 px-2 py-0.5 text-xs font-medium text-slate-800">
                  {t("minor")}
                </span>
              )}
            </div>
            <p className="mt-1 text-sm text-slate-700">
              {t("effectiveOn")}{" "}
              {v.effectiveAt ? (
                <time dateTime={isoDate(v.effectiveAt)}>{formatDate(v.effectiveAt)}</time>
              ) : (
                "—"
              )}
            </p>
            {v.changeSummary ? (
              <p className="mt-2 whitespace-pre-line text-slate-800">{v.changeSummary}</p>
            ) : null}
            {v.number && v.number > 1 ? (
              <p className="mt-2 text-sm">
                <Link
                  href={`/agreement/diff?from=${v.number - 1}&to=${v.number}`}
                  className="text-brand-700 underline"
                >
                  {t("diffWithPrevious", { from: v.number - 1, to: v.number })}
                </Link>
              </p>
            ) : null}
          </li>
        ))}
      </ol>
    </div>
  );
}
