"use client";

import { useActionState } from "react";
import { useTranslations } from "next-intl";
import { useKeepValues } from "@/components/ui/use-keep-values";
import type { FormAction } from "@/lib/auth/action";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { PurposeFields } from "@/components/admin/purpose-fields";

interface PurposeEditorProps<T, U> {
  versionId: string;
  purpose: {
    id: string;
    key: string;
    name: string;
    description: string;
    basic: boolean;
    dpvTerm: string | null;
  };
  update: FormAction<T>;
  retire: FormAction<U>;
}

/** One purpose of a draft: change its notice, or retire it from this version. */
export function PurposeEditor<T, U>({ versionId, purpose, update, retire }: PurposeEditorProps<T, U>) {
  const t = useTranslations("adminVersions.purposes");
  const [state, updateAction, pending] = useActionState(update, null);
  const keepValues = useKeepValues(updateAction);
  const [retireState, retireAction, retiring] = useActionState(retire, null);
  const errors = state && !state.ok ? state.fieldErrors : undefined;
  return (
    <li className="rounded-md border border-slate-200 bg-white p-4" data-testid={`purpose-${purpose.key}`}>
      <form onSubmit={keepValues} className="space-y-3" aria-label={t("editLabel", { key: purpose.key })}>
        <p className="font-mono text-xs text-slate-600">{t("keyLabel", { key: purpose.key })}</p>
        <input type="hidden" name="versionId" value={versionId} />
        <input type="hidden" name="purposeId" value={purpose.id} />
        <PurposeFields idPrefix={`p-${purpose.key}`} {...purpose} errors={errors} />
        <div className="flex flex-wrap items-center gap-3">
          <Button type="submit" variant="secondary" disabled={pending}>
            {pending ? t("saving") : t("save")}
          </Button>
          <span role="status" className="text-sm text-slate-700">
            {state?.ok ? t("saved") : null}
          </span>
        </div>
        {state && !state.ok && !errors ? <Alert tone="error" role="alert" title={state.message} /> : null}
      </form>
      <form action={retireAction} className="mt-3 border-t border-slate-100 pt-3">
        <input type="hidden" name="versionId" value={versionId} />
        <input type="hidden" name="purposeId" value={purpose.id} />
        <Button type="submit" variant="danger" disabled={retiring}>
          {t("retire", { key: purpose.key })}
        </Button>
        {retireState && !retireState.ok ? (
          <Alert tone="error" role="alert" title={retireState.message} />
        ) : null}
      </form>
    </li>
  );
}
