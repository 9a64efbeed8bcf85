import Link from "next/link";
import { getTranslations } from "next-intl/server";

export async function AccountNav() {
  const t = await getTranslations("accountNav");
  const links = [
    { href: "/account", label: t("overview") },
    { href: "/account/consent", label: t("consent") },
    { href: "/account/history", label: t("history") },
  ];
  return (
    <nav aria-label={t("label")} className="flex flex-wrap gap-2 border-b border-slate-200 pb-2 text-sm">
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
