import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { deskCounts } from "@/lib/rights/desk";

/** The admin dashboard's summary of the request desk: open and overdue counts. */
export async function RequestsCard() {
  const [t, counts] = await Promise.all([getTranslations("desk.card"), deskCounts()]);
  return (
    <section
      aria-labelledby="requests-card-heading"
      className={`rounded-lg bg-white p-5 shadow-sm ring-1 ${counts.overdue > 0 ? "ring-red-300" : "ring-slate-200"}`}
      data-testid="requests-card"
    >
      <h2 id="requests-card-heading" className="font-semibold text-slate-900">
        {t("heading")}
      </h2>
      <p className="mt-1 text-sm text-slate-800">
        <Link href="/admin/requests?view=open" className="underline" data-testid="requests-open">
          {t("open", { count: counts.open })}
        </Link>
        {" · "}
        <Link
          href="/admin/requests?view=overdue"
          className={`underline ${counts.overdue > 0 ? "font-semibold text-red-800" : ""}`}
          data-testid="requests-overdue"
        >
          {t("overdue", { count: counts.overdue })}
        </Link>
      </p>
      <Link href="/admin/requests" className="mt-2 inline-block text-sm text-brand-700 underline">
        {t("link")}
      </Link>
    </section>
  );
}
