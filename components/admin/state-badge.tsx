import { getTranslations } from "next-intl/server";
import type { VersionState } from "@/lib/agreements/version-state";

const styles: Record<VersionState, string> = {
  draft: "bg-slate-100 text-slate-800 ring-slate-300",
  scheduled: "bg-amber-50 text-amber-900 ring-amber-300",
  "in-effect": "bg-green-50 text-green-900 ring-green-300",
  superseded: "bg-white text-slate-600 ring-slate-200",
};

/** A version's state in words (never colour alone). */
export async function StateBadge({ state }: { state: VersionState }) {
  const t = await getTranslations("adminVersions.states");
  return (
    <span
      data-testid="version-state"
      className={`inline-block rounded-full px-2 py-0.5 text-xs font-medium ring-1 ${styles[state]}`}
    >
      {t(state)}
    </span>
  );
}
