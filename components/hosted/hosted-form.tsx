"use client";

import { useActionState } from "react";
import { useTranslations } from "next-intl";
import type { FormAction } from "@/lib/auth/action";
import type { HostedPurpose } from "@/lib/hosted/flow";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";

interface HostedFormProps {
  action: FormAction<unknown>;
  token: string;
  /** SHA-256 of the agreement text offered, sent back so acceptance records the text shown. */
  shownSha256: string;
  flow: "reconsent" | "preferences";
  purposes: HostedPurpose[];
  /** The signed-in reader's account: already linked to the service's id, or offered to link. */
  account?: { email: string; linked: boolean } | null;
}

/** The user's choices on a hosted page; the action records them and sends the browser back. */
export function HostedForm({ action, token, shownSha256, flow, purposes, account }: HostedFormProps) {
  const t = useTranslations("hosted");
  const [state, formAction, pending] = useActionState(action, null);
  return (
    <form action={formAction} className="space-y-4 rounded-lg bg-white p-6 shadow-sm ring-1 ring-slate-200">
      <input type="hidden" name="token" value={token} />
      <input type="hidden" name="shownSha256" value={shownSha256} />
      {purposes.map((purpose) => (
        <input key={purpose.key} type="hidden" name={`notice:${purpose.key}`} value={purpose.noticeSha256} />
      ))}
      {state && !state.ok ? <Alert tone="error" role="alert" title={state.message} /> : null}
      <fieldset className="space-y-3">
        <legend className="text-base font-semibold text-slate-900">{t("purposesLegend")}</legend>
        {purposes.map((purpose) => (
          <label key={purpose.key} className="flex items-start gap-3 text-sm text-slate-800">
            <input
              type="checkbox"
              name={`purpose:${purpose.key}`}
              defaultChecked={purpose.granted}
              disabled={purpose.basic}
              className="mt-1"
            />
            <span>
              <span className="font-medium">{purpose.name}</span>
              {purpose.basic ? <span className="text-slate-600"> ({t("required")})</span> : null}
              <span className="block text-slate-700">{purpose.description}</span>
            </span>
          </label>
        ))}
      </fieldset>
      {account?.linked ? (
        <p className="text-sm text-slate-700">{t("linkedAccount", { email: account.email })}</p>
      ) : account ? (
        <label className="flex items-start gap-3 text-sm text-slate-800">
          <input type="checkbox" name="linkAccount" className="mt-1" />
          <span>
            <span className="font-medium">{t("linkAccount", { email: account.email })}</span>
            <span className="block text-slate-700">{t("linkAccountHint")}</span>
          </span>
        </label>
      ) : null}
      <div className="flex flex-wrap gap-3">
        {flow === "reconsent" ? (
          <>
            <Button type="submit" name="decision" value="accept" disabled={pending}>
              {pending ? t("saving") : t("accept")}
            </Button>
            <Button type="submit" name="decision" value="decline" variant="secondary" disabled={pending}>
              {t("decline")}
            </Button>
          </>
        ) : (
          <Button type="submit" name="decision" value="save" disabled={pending}>
            {pending ? t("saving") : t("save")}
          </Button>
        )}
      </div>
    </form>
  );
}
