import Link from "next/link";
import { getTranslations } from "next-intl/server";

/** Optional purposes whose notice changed since the user granted them: the old grant no longer counts. */
export async function FreshConsentList({ purposes }: { purposes: { key: string; name: string }[] }) {
  const t = await getTranslations("reconsent.fresh");
  if (purposes.length === 0) return null;
  return (
    <section
      aria-labelledby="fresh-consent-heading"
      data-testid="fresh-consent"
      className="rounded-lg border-2 border-amber-600 bg-amber-50 p-5 text-sm text-amber-950"
    >
      <h2 id="fresh-consent-heading" className="text-base font-semibold">
        {t("heading")}
      </h2>
      <p className="mt-1">{t("body")}</p>
      <ul className="mt-2 ml-5 list-disc">
        {purposes.map((p) => (
          <li key={p.key} data-testid={`fresh-consent-${p.key}`}>
            {t("item", { name: p.name })}
          </li>
        ))}
      </ul>
      <p className="mt-2">
        <Link href="/account/consent" className="font-medium underline">
          {t("link")}
        </Link>
      </p>
    </section>
  );
}
