"use client";

import { useLocale, useTranslations } from "next-intl";
import type { TextReview } from "@/lib/agreements/content-review";
import type { ContentWarning } from "@/lib/agreements/import/content-warnings";
import { languageName } from "@/lib/i18n/locales";
import { Alert } from "@/components/ui/alert";

/**
 * What the content checks found in the texts of a version (its own, its
 * translations): shown after a save and on the review page, worded from the
 * catalogues. Nothing when nothing was found.
 */
export function ContentWarnings({ reviews }: { reviews: readonly TextReview[] }) {
  const t = useTranslations("adminVersions.contentWarnings");
  const locale = useLocale();
  const shown = reviews.filter((r) => r.warnings.length > 0 || r.titleBidi > 0 || r.error !== null);
  if (shown.length === 0) return null;
  const describe = (warning: ContentWarning) => {
    const examples = warning.examples.map((e) => `“${e}”`).join(", ");
    switch (warning.kind) {
      case "placeholder":
        return t("placeholder", { count: warning.count, examples });
      case "unresolved-reference":
        return t("unresolvedReference", { count: warning.count, examples });
      case "relative-link":
        return t("relativeLink", { count: warning.count, examples });
      case "unchanged":
        return t("unchanged");
      case "bidi-control":
        return t("bidi", {
          count: warning.count,
          where: (warning.bidi ?? []).map((at) => t("bidiAt", { ...at })).join("; "),
        });
    }
  };
  return (
    <div data-testid="content-warnings">
      <Alert tone="warning" title={t("title")}>
        {shown.map((review) => (
          <div key={review.locale ?? ""} className="mt-2 first:mt-0">
            <p className="font-medium">
              {review.locale
                ? t("translation", { language: languageName(review.locale, locale) })
                : t("authoritative")}
            </p>
            <ul className="list-disc space-y-1 pl-5">
              {review.titleBidi > 0 ? <li>{t("titleBidi", { count: review.titleBidi })}</li> : null}
              {review.warnings.map((warning) => (
                <li key={warning.kind} data-kind={warning.kind}>
                  {describe(warning)}
                </li>
              ))}
              {review.error ? <li>{t("checkFailed", { message: review.error })}</li> : null}
            </ul>
          </div>
        ))}
      </Alert>
    </div>
  );
}
