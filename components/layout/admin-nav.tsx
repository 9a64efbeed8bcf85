import { getTranslations } from "next-intl/server";
import { SectionNav } from "@/components/layout/section-nav";

export async function AdminNav() {
  const t = await getTranslations("admin");
  return (
    <SectionNav
      label={t("navLabel")}
      links={[
        { href: "/admin", label: t("navVersions") },
        { href: "/admin/requests", label: t("navRequests") },
        { href: "/admin/retention", label: t("navRetention") },
        { href: "/admin/holds", label: t("navHolds") },
        { href: "/admin/api-keys", label: t("navApiKeys") },
        { href: "/admin/webhooks", label: t("navWebhooks") },
        { href: "/admin/linked-accounts", label: t("navLinkedAccounts") },
      ]}
    />
  );
}
