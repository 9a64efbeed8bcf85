"use client";

import { useActionState } from "react";
import { useTranslations } from "next-intl";
import { Button } from "@/components/ui/button";
import { Alert } from "@/components/ui/alert";
import type { FormAction } from "@/lib/auth/action";

interface AcceptPromptProps<T> {
  action: FormAction<T>;
  versionId: string;
  versionNumber: number;
  shownSha256: string;
  title: string;
}

/** The explicit, affirmative act of acceptance: nothing is pre-ticked or implied. */
export function AcceptPrompt<T>({
  action,
  versionId,
  versionNumber,
  shownSha256,
  title,
}: AcceptPromptProps<T>) {
  const t = useTranslations("accept");
  const [state, formAction, pending] = useActionState(action, null);
  if (state?.ok) {
    return <Alert tone="success" role="status" title={t("done", { number: versionNumber })} />;
  }
  return (
    <section
      aria-labelledby="accept-heading"
      className="rounded-lg border-2 border-brand-600 bg-brand-50 p-6"
    >
      <h2 id="accept-heading" className="text-lg font-semibold text-brand-900">
        {t("heading", { title, number: versionNumber })}
      </h2>
      <p className="mt-2 text-sm text-slate-800">
        {t("body")}{" "}
        <a href="/agreement" className="text-brand-700 underline">
          {t("readLink")}
        </a>
      </p>
      {state && !state.ok ? (
        <div className="mt-3">
          <Alert tone="error" role="alert" title={state.message} />
        </div>
      ) : null}
      <form action={formAction} className="mt-4">
        <input type="hidden" name="versionId" value={versionId} />
        <input type="hidden" name="shownSha256" value={shownSha256} />
        <Button type="submit" disabled={pending}>
          {pending ? t("saving") : t("button", { number: versionNumber })}
        </Button>
      </form>
    </section>
  );
}
