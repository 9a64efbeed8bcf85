import Link from "next/link";
import { getTranslations, getLocale } from "next-intl/server";
import { formatDate } from "@/lib/format";
import { getSettings } from "@/lib/settings";
import type { DiffViewMode } from "@/components/agreement/section-diff";

interface PickerVersion {
  number: number | null;
  effectiveAt: Date | null;
}

interface DiffPickerProps {
  versions: readonly PickerVersion[];
  from: number;
  to: number;
  view: DiffViewMode;
}

const SELECT =
  "mt-1 block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm text-slate-900 focus:border-brand-600 focus:outline-none focus:ring-2 focus:ring-brand-600";

/** Any two published versions, by a plain GET form (no script), and the one-column / side-by-side switch. */
export async function DiffPicker({ versions, from, to, view }: DiffPickerProps) {
  const t = await getTranslations("versions.diff");
  const locale = await getLocale();
  const { timeZone } = getSettings();
  const options = versions.flatMap((v) =>
    v.number === null
      ? []
      : [
          <option key={v.number} value={v.number}>
            {t("picker.option", {
              number: v.number,
              date: v.effectiveAt ? formatDate(v.effectiveAt, locale, timeZone) : "—",
            })}
          </option>,
        ],
  );
  const viewLink = (mode: DiffViewMode) =>
    `/agreement/diff?from=${from}&to=${to}${mode === "split" ? "&view=split" : ""}`;
  return (
    <div className="flex flex-wrap items-end justify-between gap-4 rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200">
      <form
        method="get"
        action="/agreement/diff"
        className="flex flex-wrap items-end gap-3"
        aria-label={t("picker.heading")}
      >
        <label className="text-sm font-medium text-slate-800">
          {t("picker.from")}
          <select name="from" defaultValue={from} className={SELECT} data-testid="diff-from">
            {options}
          </select>
        </label>
        <label className="text-sm font-medium text-slate-800">
          {t("picker.to")}
          <select name="to" defaultValue={to} className={SELECT} data-testid="diff-to">
            {options}
          </select>
        </label>
        {view === "split" ? <input type="hidden" name="view" value="split" /> : null}
        <button
          type="submit"
          className="rounded-md bg-brand-700 px-4 py-2 text-sm font-medium text-white hover:bg-brand-900"
        >
          {t("picker.submit")}
        </button>
      </form>
      <nav aria-label={t("view.label")} className="flex gap-1 text-sm">
        {(["unified", "split"] as const).map((mode) => (
          <Link
            key={mode}
            href={viewLink(mode)}
            aria-current={mode === view ? "page" : undefined}
            className={
              mode === view
                ? "rounded-md bg-slate-800 px-3 py-1.5 font-medium text-white"
                : "rounded-md px-3 py-1.5 text-brand-700 underline hover:bg-slate-100"
            }
          >
            {t(`view.${mode}`)}
          </Link>
        ))}
      </nav>
    </div>
  );
}
