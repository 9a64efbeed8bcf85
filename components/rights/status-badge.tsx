import { getTranslations } from "next-intl/server";
import type { RightsRequestStatus } from "@/lib/generated/prisma/enums";

const tones: Record<RightsRequestStatus, string> = {
  RECEIVED: "bg-brand-100 text-brand-900",
  IN_PROGRESS: "bg-amber-100 text-amber-950",
  COMPLETED: "bg-green-100 text-green-900",
  REFUSED: "bg-slate-200 text-slate-900",
  WITHDRAWN: "bg-slate-100 text-slate-800",
};

export async function StatusBadge({ status }: { status: RightsRequestStatus }) {
  const t = await getTranslations("requests");
  return (
    <span className={`rounded px-2 py-0.5 text-xs font-medium ${tones[status]}`} data-testid="request-status">
      {t(`statuses.${status}`)}
    </span>
  );
}
