"use client";

import { useActionState, useState } from "react";
import { useTranslations } from "next-intl";
import type { ActionState, FormAction } from "@/lib/auth/action";
import type { ConsentChange } from "@/lib/consent/change-purpose";
import { newIdempotencyKey } from "@/components/consent/new-idempotency-key";

interface ConsentSwitchProps {
  action: FormAction<ConsentChange>;
  purposeKey: string;
  name: string;
  /** id of the element that names the purpose: the switch's accessible name. */
  labelledBy: string;
  /** Effective consent as the page was rendered. */
  granted: boolean;
  versionNumber: number;
  noticeSha256: string;
}

/**
 * One click grants, one click withdraws: the same control, the same effort
 * (GDPR Art. 7(3), PIPL Art. 15). Works without JavaScript as a plain form.
 */
export function ConsentSwitch({
  action,
  purposeKey,
  name,
  labelledBy,
  granted,
  versionNumber,
  noticeSha256,
}: ConsentSwitchProps) {
  const t = useTranslations("consent");
  // One key per intended change: a double click or a retried request records one event.
  const [idempotencyKey, setIdempotencyKey] = useState(() => newIdempotencyKey());
  const [state, formAction, pending] = useActionState(
    async (previous: ActionState<ConsentChange>, data: FormData) => {
      data.set("idempotencyKey", idempotencyKey);
      const result = await action(previous, data);
      if (result?.ok) setIdempotencyKey(newIdempotencyKey());
      return result;
    },
    null,
  );
  const on = state?.ok ? state.data.purpose.granted : granted;
  const statusId = `${purposeKey}-status`;
  return (
    <form action={formAction} className="flex flex-col items-end gap-2">
      <input type="hidden" name="purposeKey" value={purposeKey} />
      <input type="hidden" name="action" value={on ? "withdraw" : "grant"} />
      <input type="hidden" name="versionNumber" value={versionNumber} />
      <input type="hidden" name="noticeSha256" value={noticeSha256} />
      <button
        type="submit"
        role="switch"
        aria-checked={on}
        aria-labelledby={labelledBy}
        aria-describedby={statusId}
        disabled={pending}
        data-testid={`consent-switch-${purposeKey}`}
        className={`inline-flex min-w-24 items-center gap-2 rounded-full border-2 px-2 py-1 text-sm font-semibold transition-colors disabled:cursor-wait disabled:opacity-70 ${
          on ? "border-brand-700 bg-brand-700 text-white" : "border-slate-500 bg-white text-slate-800"
        }`}
      >
        <span
          aria-hidden="true"
          className={`inline-block h-5 w-5 rounded-full transition-transform ${on ? "order-2 bg-white" : "order-1 bg-slate-500"}`}
        />
        <span aria-hidden="true" className={on ? "order-1" : "order-2"}>
          {pending ? t("saving") : on ? t("on") : t("off")}
        </span>
      </button>
      <p id={statusId} role="status" className="min-h-5 text-right text-sm text-slate-700">
        {state?.ok ? t(state.data.purpose.granted ? "grantedNow" : "withdrawnNow", { name }) : null}
      </p>
      {state && !state.ok ? (
        <p role="alert" className="text-right text-sm text-red-700">
          {state.message}
        </p>
      ) : null}
    </form>
  );
}
