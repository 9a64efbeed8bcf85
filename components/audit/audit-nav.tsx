import Link from "next/link";
import { getTranslations } from "next-intl/server";

export async function AuditNav() {
  const t = await getTranslations("audit");
  const links = [
    { href: "/audit", label: t("navExplorer") },
    { href: "/audit/exports", label: t("navExports") },
    { href: "/audit/dashboards", label: t("navDashboards") },
  ];
  return (
    <nav aria-label={t("navLabel")} className="flex flex-wrap gap-2 border-b border-slate-200 pb-2 text-sm">
      {links.map((link) => (
        <Link
          key={link.href}
          href={link.href}
          className="rounded-md px-3 py-1.5 text-slate-700 hover:bg-slate-100"
        >
          {link.label}
        </Link>
      ))}
    </nav>
  );
}
