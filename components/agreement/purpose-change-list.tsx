import { getTranslations } from "next-intl/server";
import type { PurposeChanges } from "@/lib/agreements/purpose-changes";

interface PurposeChangeListProps {
  changes: PurposeChanges;
  names: Record<string, string>;
}

/** Purposes a version added, changed or retired: added and changed ones need fresh consent. */
export async function PurposeChangeList({ changes, names }: PurposeChangeListProps) {
  const t = await getTranslations("versions.purposes");
  const groups = (["added", "changed", "retired"] as const).filter((group) => changes[group].length > 0);
  if (groups.length === 0) return <p className="text-sm text-slate-700">{t("none")}</p>;
  return (
    <dl className="space-y-2 text-sm" data-testid="purpose-changes">
      {groups.map((group) => (
        <div key={group}>
          <dt className="font-semibold text-slate-900">{t(group)}</dt>
          <dd>
            <ul className="ml-5 list-disc text-slate-800">
              {changes[group].map((key) => (
                <li key={key}>
                  {names[key] ?? key} <span className="font-mono text-xs text-slate-600">({key})</span>
                </li>
              ))}
            </ul>
          </dd>
        </div>
      ))}
    </dl>
  );
}
