import type { Metadata } from "next";
import Link from "next/link";
import { getLocale, getTranslations } from "next-intl/server";
import { requirePageActor } from "@/lib/auth/actor";
import { requestMeta } from "@/lib/http/request-meta";
import { applyGpcSignal } from "@/lib/consent/gpc";
import { getPreferences } from "@/lib/consent/preferences";
import { formatDateTime } from "@/lib/format";
import { Alert } from "@/components/ui/alert";
import { GpcNotice } from "@/components/consent/gpc-notice";
import { PurposeCard } from "@/components/consent/purpose-card";
import { Section } from "@/components/ui/section";
import { changeConsentAction } from "./actions";

export const metadata: Metadata = { title: "Consent preferences" };

export default async function ConsentPage() {
  const actor = await requirePageActor("/account/consent");
  const meta = await requestMeta();
  await applyGpcSignal(actor.id, meta);
  const locale = await getLocale();
  const [t, preferences] = await Promise.all([getTranslations("consent"), getPreferences(actor.id, locale)]);
  const version = preferences.acceptedVersion;
  // Optional purposes first: they are the ones a user can change.
  const groups = [
    { id: "optional", purposes: preferences.purposes.filter((purpose) => !purpose.basic) },
    { id: "required", purposes: preferences.purposes.filter((purpose) => purpose.basic) },
  ] as const;
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
            <p>{t("intro", { number: preferences.currentVersion?.number ?? version.number })}</p>
            <p>
              {t("acceptedOn", { number: version.number, when: formatDateTime(version.acceptedAt, locale) })}
            </p>
            <p>
              <Link href="/account/history" className="text-brand-700 underline">
                {t("historyLink")}
              </Link>
            </p>
          </div>
          {groups.map(({ id, purposes }) => (
            <Section key={id} id={id} title={t(`${id}Heading`)}>
              <p className="text-sm text-slate-700">{t(`${id}Intro`)}</p>
              <ul className="space-y-3">
                {purposes.map((purpose) => (
                  <PurposeCard
                    key={purpose.key}
                    purpose={purpose}
                    versionNumber={preferences.currentVersion?.number ?? version.number}
                    action={changeConsentAction}
                  />
                ))}
              </ul>
            </Section>
          ))}
        </>
      )}
    </div>
  );
}
