"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

interface SectionNavProps {
  label: string;
  /** The first link is the section's home: it is current only on its own path. */
  links: { href: string; label: string }[];
}

/** The tabs of an area (account, admin, audit), marking the current one. */
export function SectionNav({ label, links }: SectionNavProps) {
  const pathname = usePathname();
  return (
    <nav aria-label={label} className="flex flex-wrap gap-2 border-b border-slate-200 pb-2 text-sm">
      {links.map((link, index) => {
        const current = pathname === link.href || (index > 0 && pathname.startsWith(`${link.href}/`));
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
