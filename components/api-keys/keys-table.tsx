import { getTranslations, getLocale } from "next-intl/server";
import type { FormAction } from "@/lib/auth/action";
import type { ApiKeySummary } from "@/lib/api-keys/api-keys";
import { formatDate, formatDateTime } from "@/lib/format";
import { ActionForm } from "@/components/admin/action-form";
import { Table } from "@/components/ui/table";

interface KeysTableProps<T> {
  keys: ApiKeySummary[];
  revokeAction: FormAction<T>;
}

export async function KeysTable<T>({ keys, revokeAction }: KeysTableProps<T>) {
  const t = await getTranslations("apiKeys");
  const locale = await getLocale();
  if (keys.length === 0) return <p className="text-sm text-slate-700">{t("none")}</p>;
  return (
    <Table
      caption={t("caption")}
      columns={(["name", "key", "scopes", "limit", "created", "lastUsed", "status"] as const).map((column) =>
        t(`columns.${column}`),
      )}
      testId="api-keys"
    >
      {keys.map((key) => (
        <tr key={key.id} data-testid="api-key-row" className={key.revokedAt ? "text-slate-500" : undefined}>
          <td className="px-4 py-2 font-medium">{key.name}</td>
          <td className="px-4 py-2 font-mono text-xs">{key.displayPrefix}…</td>
          <td className="px-4 py-2">
            <ul className="space-y-0.5">
              {key.scopes.map((scope) => (
                <li key={scope} className="font-mono text-xs">
                  {scope}
                </li>
              ))}
            </ul>
          </td>
          <td className="px-4 py-2 whitespace-nowrap">{t("perMinute", { count: key.rateLimitPerMinute })}</td>
          <td className="px-4 py-2 whitespace-nowrap">{formatDate(key.createdAt, locale)}</td>
          <td className="px-4 py-2 whitespace-nowrap">
            {key.lastUsedAt ? formatDateTime(key.lastUsedAt, locale) : t("never")}
          </td>
          <td className="px-4 py-2">
            {key.revokedAt ? (
              t("revokedOn", { date: formatDate(key.revokedAt, locale) })
            ) : (
              <div className="flex items-center gap-3">
                <span>{t("active")}</span>
                <ActionForm
                  action={revokeAction}
                  fields={{ keyId: key.id }}
                  label={t("revoke")}
                  pendingLabel={t("revoking")}
                  variant="danger"
                  confirm={t("revokeConfirm", { name: key.name })}
                />
              </div>
            )}
          </td>
        </tr>
      ))}
    </Table>
  );
}
