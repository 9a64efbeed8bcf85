"use client";

import { useActionState, useEffect, useRef } from "react";
import { useTranslations } from "next-intl";
import { useKeepValues } from "@/components/ui/use-keep-values";
import type { FormAction } from "@/lib/auth/action";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/text-field";
import { PurposeFields } from "@/components/admin/purpose-fields";

export function AddPurposeForm<T>({ versionId, action }: { versionId: string; action: FormAction<T> }) {
  const t = useTranslations("adminVersions.purposes");
  const [state, formAction, pending] = useActionState(action, null);
  const keepValues = useKeepValues(formAction);
  const form = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (state?.ok) form.current?.reset();
  }, [state]);
  const errors = state && !state.ok ? state.fieldErrors : undefined;
  return (
    <form
      ref={form}
      onSubmit={keepValues}
      className="space-y-3 rounded-md border border-dashed border-slate-300 p-4"
      aria-labelledby="add-purpose-heading"
    >
      <h3 id="add-purpose-heading" className="font-semibold text-slate-900">
        {t("addHeading")}
      </h3>
      <input type="hidden" name="versionId" value={versionId} />
      <TextField id="new-key" name="key" label={t("key")} hint={t("keyHint")} required errors={errors?.key} />
      <PurposeFields idPrefix="new" errors={errors} />
      <Button type="submit" disabled={pending}>
        {pending ? t("adding") : t("add")}
      </Button>
      {state?.ok ? <Alert tone="success" role="status" title={t("added")} /> : null}
      {state && !state.ok && !errors ? <Alert tone="error" role="alert" title={state.message} /> : null}
    </form>
  );
}
