import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { REQUEST_TYPES, type DeskFilter } from "@/lib/rights/schemas";
import { Button } from "@/components/ui/button";

const VIEWS = ["open", "overdue", "closed", "all"] as const;

/** Views as links and the type as a plain GET form: the filters live in the URL. */
export async function DeskFilters({ filter }: { filter: DeskFilter }) {
  const t = await getTranslations("desk");
  const tr = await getTranslations("requests");
  const href = (view: DeskFilter["view"]) =>
    `/admin/requests?view=${view}${filter.type ? `&type=${filter.type}` : ""}`;
  return (
    <div className="flex flex-wrap items-end justify-between gap-4">
      <nav aria-label={t("views.label")} className="flex flex-wrap gap-2 text-sm">
        {VIEWS.map((view) => (
          <Link
            key={view}
            href={href(view)}
            aria-current={filter.view === view ? "page" : undefined}
            className={`rounded-md px-3 py-1.5 ${filter.view === view ? "bg-brand-100 font-medium text-brand-900" : "text-slate-700 hover:bg-slate-100"}`}
          >
            {t(`views.${view}`)}
          </Link>
        ))}
      </nav>
      <form method="get" action="/admin/requests" className="flex items-end gap-2 text-sm">
        <input type="hidden" name="view" value={filter.view} />
        <label className="space-y-1">
          <span className="block font-medium text-slate-800">{t("typeFilter")}</span>
          <select
            name="type"
            defaultValue={filter.type ?? ""}
            className="rounded-md border border-slate-300 bg-white px-3 py-2"
          >
            <option value="">{t("anyType")}</option>
            {REQUEST_TYPES.map((type) => (
              <option key={type} value={type}>
                {tr(`types.${type}`)}
              </option>
            ))}
          </select>
        </label>
        <Button type="submit" variant="secondary">
          {t("filter")}
        </Button>
      </form>
    </div>
  );
}
