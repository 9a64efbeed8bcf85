"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { useTranslations } from "next-intl";

export function AccountNav() {
  const t = useTranslations("accountNav");
  const pathname = usePathname();
  const links = [
    { href: "/account", label: t("overview") },
    { href: "/account/consent", label: t("consent") },
    { href: "/account/history", label: t("history") },
  ];
  return (
    <nav aria-label={t("label")} className="flex flex-wrap gap-2 border-b border-slate-200 pb-2 text-sm">
      {links.map((link) => {
        const current = pathname === link.href;
        return (
          <Link
            key={link.href}
            href={link.href}
            aria-current={current ? "page" : undefined}
            className={`rounded-md px-3 py-1.5 ${current ? "bg-brand-100 font-medium text-brand-900" : "text-slate-700 hover:bg-slate-100"}`}
          >
            {link.label}
          </Link>
        );
      })}
    </nav>
  );
}
