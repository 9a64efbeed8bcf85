import { getFormatter, getTranslations, getLocale } from "next-intl/server";
import { formatDateTime } from "@/lib/format";
import { Table } from "@/components/ui/table";

interface Purge {
  id: bigint;
  createdAt: Date;
  details: unknown;
}

interface PurgeDetails {
  counts?: Record<string, number>;
  subjectsOnHold?: number;
  skipped?: string[];
}

/** The last purges with their counts, as recorded in the audit log. */
export async function PurgeList({ purges }: { purges: Purge[] }) {
  const t = await getTranslations("retention");
  const [locale, format] = await Promise.all([getLocale(), getFormatter()]);
  if (!purges.length) return <p className="text-sm text-slate-700">{t("noPurges")}</p>;
  return (
    <Table caption={t("purgeCaption")} columns={[t("when"), t("what")]} testId="purges">
      {purges.map((purge) => {
        const details = (purge.details ?? {}) as PurgeDetails;
        return (
          <tr key={String(purge.id)} className="align-top">
            <td className="px-4 py-2 whitespace-nowrap">{formatDateTime(purge.createdAt, locale)}</td>
            <td className="px-4 py-2">
              <ul>
                {Object.entries(details.counts ?? {}).map(([kind, count]) => (
                  <li key={kind}>
                    {format.number(count)} {t.has(`counts.${kind}`) ? t(`counts.${kind}`) : kind}
                  </li>
                ))}
                <li>{t("onHold", { count: details.subjectsOnHold ?? 0 })}</li>
                {details.skipped?.length ? (
                  <li>{t("skipped", { steps: details.skipped.join("; ") })}</li>
                ) : null}
              </ul>
            </td>
          </tr>
        );
      })}
    </Table>
  );
}
