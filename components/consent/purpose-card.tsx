import { getTranslations, getLocale } from "next-intl/server";
import type { FormAction } from "@/lib/auth/action";
import type { ConsentChange } from "@/lib/consent/change-purpose";
import type { PurposePreference } from "@/lib/consent/preferences";
import { formatDateTime } from "@/lib/format";
import { ConsentSwitch } from "@/components/consent/consent-switch";

const badge: Record<PurposePreference["consent"], string> = {
  required: "bg-slate-200 text-slate-900",
  granted: "bg-green-100 text-green-900",
  "not-granted": "bg-slate-100 text-slate-800",
  "needs-fresh-consent": "bg-amber-100 text-amber-950",
};

interface PurposeCardProps {
  purpose: PurposePreference;
  versionNumber: number;
  action: FormAction<ConsentChange>;
}

export async function PurposeCard({ purpose, versionNumber, action }: PurposeCardProps) {
  const t = await getTranslations("consent");
  const locale = await getLocale();
  const headingId = `purpose-${purpose.key}`;
  const status = {
    required: t("required"),
    granted: t("statusGranted"),
    "not-granted": t("statusNotGranted"),
    "needs-fresh-consent": t("statusNeedsFresh"),
  }[purpose.consent];
  return (
    <li
      className="rounded-lg bg-white p-5 shadow-sm ring-1 ring-slate-200"
      data-testid={`purpose-${purpose.key}`}
    >
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div className="min-w-0 flex-1 space-y-2">
          <div className="flex flex-wrap items-center gap-2">
            <h3 id={headingId} lang={purpose.noticeLocale} className="font-semibold text-slate-900">
              {purpose.name}
            </h3>
            <span
              className={`rounded px-2 py-0.5 text-xs font-medium ${badge[purpose.consent]}`}
              data-testid="purpose-status"
            >
              {status}
            </span>
          </div>
          <p lang={purpose.noticeLocale} className="text-sm text-slate-700">
            {purpose.description}
          </p>
          {purpose.consent === "needs-fresh-consent" ? (
            <p className="text-sm text-amber-950">{t("needsFreshBody")}</p>
          ) : null}
          {purpose.basic ? (
            <p className="text-sm text-slate-700">
              {t("leaveService")}{" "}
              <a href="/account/deregister" className="text-brand-700 underline">
                {t("leaveServiceLink")}
              </a>
            </p>
          ) : null}
          {purpose.lastChange && !purpose.basic ? (
            <p className="text-xs text-slate-600">
              {t("lastChange", {
                when: formatDateTime(purpose.lastChange.at, locale),
                method: t(`method.${purpose.lastChange.method}`),
              })}
            </p>
          ) : null}
          {purpose.dpvTerm ? (
            <p className="text-xs text-slate-600">{t("dpvTerm", { term: purpose.dpvTerm })}</p>
          ) : null}
        </div>
        {purpose.basic ? null : (
          <ConsentSwitch
            action={action}
            purposeKey={purpose.key}
            name={purpose.name}
            labelledBy={headingId}
            granted={purpose.consent === "granted"}
            versionNumber={versionNumber}
            noticeSha256={purpose.noticeSha256}
          />
        )}
      </div>
    </li>
  );
}
