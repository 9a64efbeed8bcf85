import { getTranslations, getLocale } from "next-intl/server";
import { formatDateTime } from "@/lib/format";
import { Alert } from "@/components/ui/alert";

/** Shown while the browser sends Sec-GPC: 1, so a later grant of sharing is an informed choice. */
export async function GpcNotice({ appliedAt }: { appliedAt: Date | null }) {
  const t = await getTranslations("consent");
  const locale = await getLocale();
  return (
    <div data-testid="gpc-notice">
      <Alert tone="info" title={t("gpcTitle")}>
        <p>
          {t("gpcBody")} {appliedAt ? t("gpcApplied", { when: formatDateTime(appliedAt, locale) }) : null}
        </p>
        <p className="mt-1">{t("gpcOverride")}</p>
      </Alert>
    </div>
  );
}
