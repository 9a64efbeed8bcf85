import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { ADMIN_ROLES, AUDIT_ROLES, getActor, hasRole } from "@/lib/auth/actor";
import { SignOutButton } from "@/components/auth/sign-out-button";
import { LanguageSwitch } from "@/components/layout/language-switch";

export async function SiteHeader() {
  const t = await getTranslations("nav");
  const actor = await getActor();
  const links = [
    { href: "/agreement", label: t("agreement"), show: true },
    { href: "/account", label: t("account"), show: actor !== null },
    { href: "/admin", label: t("admin"), show: hasRole(actor, ADMIN_ROLES) },
    { href: "/audit", label: t("audit"), show: hasRole(actor, AUDIT_ROLES) },
  ].filter((link) => link.show);
  return (
    <header className="sticky top-0 z-40 border-b border-slate-200 bg-white/95 backdrop-blur">
      <div className="mx-auto flex max-w-5xl flex-wrap items-center gap-x-6 gap-y-2 px-4 py-3">
        <Link href="/" className="text-lg font-semibold tracking-tight text-brand-900">
          Accord
        </Link>
        <nav aria-label={t("label")} className="flex flex-1 flex-wrap gap-4 text-sm">
          {links.map((link) => (
            <Link
              key={link.href}
              href={link.href}
              className="text-slate-700 hover:text-brand-700 hover:underline"
            >
              {link.label}
            </Link>
          ))}
        </nav>
        <LanguageSwitch />
        <div className="flex items-center gap-3 text-sm">
          {actor ? (
            <>
              <span className="text-slate-600" data-testid="signed-in-as">
                {actor.email}
              </span>
              <SignOutButton label={t("signOut")} />
            </>
          ) : (
            <>
              <Link href="/signin" className="text-slate-700 hover:underline">
                {t("signIn")}
              </Link>
              <Link
                href="/signup"
                className="rounded-md bg-brand-700 px-3 py-1.5 font-medium text-white hover:bg-brand-900"
              >
                {t("signUp")}
              </Link>
            </>
          )}
        </div>
      </div>
    </header>
  );
}
