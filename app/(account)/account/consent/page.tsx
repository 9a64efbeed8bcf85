import type { Metadata } from "next";
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { requirePageActor } from "@/lib/auth/actor";
import { requestMeta } from "@/lib/http/request-meta";
import { applyGpcSignal } from "@/lib/consent/gpc";
import { getPreferences } from "@/lib/consent/preferences";
import { formatDateTime } from "@/lib/format";
import { Alert } from "@/components/ui/alert";
import { GpcNotice } from "@/components/consent/gpc-notice";
import { PurposeCard } from "@/components/consent/purpose-card";
import { changeConsentAction } from "./actions";

export const metadata: Metadata = { title: "Consent preferences" };

export default async function ConsentPage() {
  const actor = await requirePageActor("/account/consent");
  const meta = await requestMeta();
  await applyGpcSignal(actor.id, meta);
  const [t, preferences] = await Promise.all([getTranslations("consent"), getPreferences(actor.id)]);
  const version = preferences.acceptedVersion;
  const required = preferences.purposes.filter((purpose) => purpose.basic);
  const optional = preferences.purposes.filter((purpose) => !purpose.basic);
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-bold text-slate-900">{t("title")}</h1>
      {meta.gpc ? <GpcNotice appliedAt={preferences.gpcAppliedAt} /> : null}
      {!version ? (
        <Alert tone="warning" title={t("notAcceptedTitle")}>
          <p>
            {t("notAcceptedBody")}{" "}
            <Link href="/account" className="underline">
              {t("notAcceptedLink")}
            </Link>
          </p>
        </Alert>
      ) : (
        <>
          <div className="space-y-1 text-sm text-slate-700">
            <p>{t("intro", { number: version.number })}</p>
            <p>{t("acceptedOn", { number: version.number, when: formatDateTime(version.acceptedAt) })}</p>
            <p>
              <Link href="/account/history" className="text-brand-700 underline">
                {t("historyLink")}
              </Link>
            </p>
          </div>
          <section aria-labelledby="optional-heading" className="space-y-3">
            <h2 id="optional-heading" className="text-lg font-semibold text-slate-900">
              {t("optionalHeading")}
            </h2>
            <p className="text-sm text-slate-700">{t("optionalIntro")}</p>
            <ul className="space-y-3">
              {optional.map((purpose) => (
                <PurposeCard
                  key={purpose.key}
                  purpose={purpose}
                  versionNumber={version.number}
                  action={changeConsentAction}
                />
              ))}
            </ul>
          </section>
          <section aria-labelledby="required-heading" className="space-y-3">
            <h2 id="required-heading" className="text-lg font-semibold text-slate-900">
              {t("requiredHeading")}
            </h2>
            <p className="text-sm text-slate-700">{t("requiredIntro")}</p>
            <ul className="space-y-3">
              {required.map((purpose) => (
                <PurposeCard
                  key={purpose.key}
                  purpose={purpose}
                  versionNumber={version.number}
                  action={changeConsentAction}
                />
              ))}
            </ul>
          </section>
        </>
      )}
    </div>
  );
}
