import { getTranslations } from "next-intl/server";
import { SectionNav } from "@/components/layout/section-nav";

export async function AuditNav() {
  const t = await getTranslations("audit");
  return (
    <SectionNav
      label={t("navLabel")}
      links={[
        { href: "/audit", label: t("navExplorer") },
        { href: "/audit/exports", label: t("navExports") },
        { href: "/audit/dashboards", label: t("navDashboards") },
        { href: "/audit/log", label: t("navLog") },
      ]}
    />
  );
}
