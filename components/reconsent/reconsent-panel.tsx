"use client";

import { useActionState } from "react";
import Link from "next/link";
import { useTranslations, useLocale } from "next-intl";
import type { FormAction } from "@/lib/auth/action";
import { formatDate } from "@/lib/format";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";

export interface PanelStatus {
  kind: "none" | "required" | "upcoming" | "notice";
  version: {
    id: string;
    number: number;
    title: string;
    bodySha256: string;
    changeSummary: string | null;
    effectiveAt: Date;
  } | null;
  acceptedNumber: number | null;
}

interface ReconsentPanelProps<A, D, K> {
  status: PanelStatus;
  accept: FormAction<A>;
  decline: FormAction<D>;
  acknowledge: FormAction<K>;
  /** The organisation's time zone, in which the effective date is read (AGREEMENT_TIMEZONE). */
  timeZone?: string;
}

const tones = {
  required: "border-brand-600 bg-brand-50",
  upcoming: "border-amber-600 bg-amber-50",
  notice: "border-slate-400 bg-white",
} as const;

/**
 * What the user must know about agreement versions, with the one thing to do:
 * accept (now or early), decline (once in effect, or early, with what follows
 * from it), or dismiss a minor-change notice. Always
 * mounted, so the confirmation stays visible after the page data refreshes.
 */
export function ReconsentPanel<A, D, K>({
  status,
  accept,
  decline,
  acknowledge,
  timeZone = "UTC",
}: ReconsentPanelProps<A, D, K>) {
  const t = useTranslations("reconsent");
  const locale = useLocale();
  const ta = useTranslations("accept");
  const [accepted, acceptAction, accepting] = useActionState(accept, null);
  const [declined, declineAction, declining] = useActionState(decline, null);
  const [acknowledged, acknowledgeAction, acknowledging] = useActionState(acknowledge, null);
  const version = status.version;

  if (accepted?.ok) {
    return (
      <Alert
        tone="success"
        role="status"
        title={ta("done", {
          number: (accepted.data as { versionNumber?: number }).versionNumber ?? version?.number ?? 0,
        })}
      />
    );
  }
  if (acknowledged?.ok) return <Alert tone="success" role="status" title={t("notice.dismissed")} />;
  if (status.kind === "none" || !version) return null;

  const when = formatDate(version.effectiveAt, locale, timeZone);
  const diffHref =
    status.acceptedNumber && status.acceptedNumber < version.number
      ? `/agreement/diff?from=${status.acceptedNumber}&to=${version.number}`
      : `/agreement/versions/${version.number}`;
  const heading =
    status.kind === "required"
      ? ta("heading", { title: version.title, number: version.number })
      : status.kind === "upcoming"
        ? t("upcoming.heading", { date: when })
        : t("notice.heading", { number: version.number });
  const versionFields = (
    <>
      <input type="hidden" name="versionId" value={version.id} />
      <input type="hidden" name="shownSha256" value={version.bodySha256} />
    </>
  );
  const error = [accepted, declined, acknowledged].find((s) => s && !s.ok);

  return (
    <section
      aria-labelledby="reconsent-heading"
      data-testid={`reconsent-${status.kind}`}
      className={`rounded-lg border-2 p-6 ${tones[status.kind]}`}
    >
      <h2 id="reconsent-heading" className="text-lg font-semibold text-slate-900">
        {heading}
      </h2>
      <div className="mt-2 space-y-2 text-sm text-slate-800">
        {status.kind === "required" ? (
          <p>
            {status.acceptedNumber
              ? t("required.changed", { number: version.number, accepted: status.acceptedNumber, date: when })
              : ta("body")}
          </p>
        ) : null}
        {status.kind === "upcoming" ? (
          <p>{t("upcoming.body", { number: version.number, date: when })}</p>
        ) : null}
        {status.kind === "notice" ? <p>{t("notice.body", { number: version.number, date: when })}</p> : null}
        {version.changeSummary && status.acceptedNumber ? (
          <p>
            <span className="font-semibold">{t("summaryLabel")}</span> {version.changeSummary}
          </p>
        ) : null}
        <p>
          <Link
            href={status.acceptedNumber ? diffHref : "/agreement"}
            className="font-medium text-brand-700 underline"
          >
            {status.acceptedNumber
              ? t("diffLink", { from: status.acceptedNumber, to: version.number })
              : ta("readLink")}
          </Link>
        </p>
      </div>
      {error && !error.ok ? (
        <div className="mt-3">
          <Alert tone="error" role="alert" title={error.message} />
        </div>
      ) : null}
      {declined?.ok ? (
        <div className="mt-4" data-testid="decline-explanation">
          <Alert
            tone="warning"
            role="status"
            title={
              status.kind === "upcoming"
                ? t("upcoming.declinedTitle", { number: version.number })
                : t("declined.title", { number: version.number })
            }
          >
            <p>
              {status.kind === "upcoming"
                ? t("upcoming.declinedBody", { number: version.number, date: when })
                : t("declined.body", { date: when })}
            </p>
            <p className="mt-2">
              {t("declined.deregister")}{" "}
              <Link href="/account/deregister" className="font-medium underline">
                {t("declined.deregisterLink")}
              </Link>
            </p>
            <p className="mt-2">{t("declined.changeMind")}</p>
          </Alert>
        </div>
      ) : null}
      <div className="mt-4 flex flex-wrap gap-3">
        {status.kind === "notice" ? (
          <form action={acknowledgeAction}>
            {versionFields}
            <Button type="submit" variant="secondary" disabled={acknowledging}>
              {t("notice.dismiss")}
            </Button>
          </form>
        ) : (
          <form action={acceptAction}>
            {versionFields}
            <Button type="submit" disabled={accepting}>
              {accepting
                ? ta("saving")
                : status.kind === "upcoming"
                  ? t("upcoming.acceptEarly", { number: version.number })
                  : ta("button", { number: version.number })}
            </Button>
          </form>
        )}
        {(status.kind === "required" || status.kind === "upcoming") && !declined?.ok ? (
          <form action={declineAction}>
            {versionFields}
            <Button type="submit" variant="secondary" disabled={declining}>
              {status.kind === "upcoming"
                ? t("upcoming.decline", { number: version.number })
                : t("required.decline")}
            </Button>
          </form>
        ) : null}
      </div>
      {status.kind === "upcoming" ? (
        <p className="mt-3 text-xs text-slate-700">{t("upcoming.later", { date: when })}</p>
      ) : null}
    </section>
  );
}
