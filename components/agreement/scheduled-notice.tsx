import Link from "next/link";
import { getTranslations, getLocale } from "next-intl/server";
import { formatDate, isoDate } from "@/lib/format";
import { getSettings } from "@/lib/settings";

interface ScheduledNoticeProps {
  upcoming: {
    number: number | null;
    effectiveAt: Date | null;
    changeSummary: string | null;
    material: boolean;
  };
  currentNumber: number | null;
}

/** "Changes take effect on DATE": shown to every visitor while a version is scheduled. */
export async function ScheduledNotice({ upcoming, currentNumber }: ScheduledNoticeProps) {
  const t = await getTranslations("versions.scheduled");
  const locale = await getLocale();
  if (upcoming.number === null || !upcoming.effectiveAt) return null;
  const { timeZone } = getSettings();
  const href = currentNumber
    ? `/agreement/diff?from=${currentNumber}&to=${upcoming.number}`
    : `/agreement/versions/${upcoming.number}`;
  return (
    <aside
      aria-labelledby="scheduled-heading"
      data-testid="scheduled-notice"
      className="rounded-md border-l-4 border-amber-600 bg-amber-50 p-4 text-sm text-amber-950"
    >
      <p id="scheduled-heading" className="font-semibold">
        {t.rich("heading", {
          date: () => (
            <time dateTime={isoDate(upcoming.effectiveAt as Date, timeZone)}>
              {formatDate(upcoming.effectiveAt, locale, timeZone)}
            </time>
          ),
        })}
      </p>
      {upcoming.changeSummary ? <p className="mt-1 whitespace-pre-line">{upcoming.changeSummary}</p> : null}
      <p className="mt-2">
        <Link href={href} className="font-medium underline">
          {t("diffLink", { number: upcoming.number })}
        </Link>
      </p>
    </aside>
  );
}
