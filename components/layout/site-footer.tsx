import Link from "next/link";
import { getTranslations } from "next-intl/server";

export async function SiteFooter() {
  const t = await getTranslations("footer");
  return (
    <footer className="border-t border-slate-200 bg-white">
      <div className="mx-auto flex max-w-5xl flex-wrap gap-4 px-4 py-4 text-sm text-slate-600">
        <span>{t("about")}</span>
        <Link href="/agreement" className="hover:underline">
          {t("agreement")}
        </Link>
      </div>
    </footer>
  );
}
