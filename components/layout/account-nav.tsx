import { getTranslations } from "next-intl/server";
import { SectionNav } from "@/components/layout/section-nav";

export async function AccountNav() {
  const t = await getTranslations("accountNav");
  return (
    <SectionNav
      label={t("label")}
      links={[
        { href: "/account", label: t("overview") },
        { href: "/account/consent", label: t("consent") },
        { href: "/account/history", label: t("history") },
        { href: "/account/requests", label: t("requests") },
        { href: "/account/data", label: t("data") },
        { href: "/account/deregister", label: t("deregister") },
      ]}
    />
  );
}
