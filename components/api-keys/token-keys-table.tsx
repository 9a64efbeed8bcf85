import { getTranslations, getLocale } from "next-intl/server";
import type { SigningKeySummary } from "@/lib/tokens/signing-keys";
import { formatDateTime } from "@/lib/format";
import { Table } from "@/components/ui/table";

export async function TokenKeysTable({ keys }: { keys: SigningKeySummary[] }) {
  const t = await getTranslations("apiKeys.tokenKeys");
  const locale = await getLocale();
  if (keys.length === 0) return <p className="text-sm text-slate-700">{t("none")}</p>;
  return (
    <Table
      caption={t("caption")}
      columns={(["kid", "created", "activates", "state"] as const).map((column) => t(`columns.${column}`))}
      testId="token-keys"
    >
      {keys.map((key) => (
        <tr key={key.kid} data-testid="token-key-row">
          <td className="px-4 py-2 font-mono text-xs">{key.kid}</td>
          <td className="px-4 py-2 whitespace-nowrap">{formatDateTime(key.createdAt, locale)}</td>
          <td className="px-4 py-2 whitespace-nowrap">{formatDateTime(key.activatesAt, locale)}</td>
          <td className="px-4 py-2">{t(`states.${key.state}`)}</td>
        </tr>
      ))}
    </Table>
  );
}
