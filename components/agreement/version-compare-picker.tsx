import { getTranslations } from "next-intl/server";

interface PickerVersion {
  number: number;
  label: string | null;
  date: string;
}

const SELECT =
  "mt-1 block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm text-slate-900 focus:border-brand-600 focus:outline-none focus:ring-2 focus:ring-brand-600";

/** Any two published versions to /agreement/diff, by a plain GET form (no script). Newest first. */
export async function VersionComparePicker({
  versions,
  heading,
}: {
  versions: readonly PickerVersion[];
  heading: string;
}) {
  const t = await getTranslations("versions.diff.picker");
  const options = versions.map((v) => (
    <option key={v.number} value={v.number}>
      {t("option", { number: v.number, date: v.label ? `${v.date} (${v.label})` : v.date })}
    </option>
  ));
  const [newest, previous] = versions;
  return (
    <form
      method="get"
      action="/agreement/diff"
      aria-label={heading}
      className="flex flex-wrap items-end gap-3 rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200"
      data-testid="compare-picker"
    >
      <p className="w-full text-sm font-semibold text-slate-900">{heading}</p>
      <label className="text-sm font-medium text-slate-800">
        {t("from")}
        <select name="from" defaultValue={previous?.number} className={SELECT}>
          {options}
        </select>
      </label>
      <label className="text-sm font-medium text-slate-800">
        {t("to")}
        <select name="to" defaultValue={newest?.number} className={SELECT}>
          {options}
        </select>
      </label>
      <button
        type="submit"
        className="rounded-md bg-brand-700 px-4 py-2 text-sm font-medium text-white hover:bg-brand-900"
      >
        {t("submit")}
      </button>
    </form>
  );
}
