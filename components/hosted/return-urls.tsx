"use client";

import { useActionState } from "react";
import { useTranslations } from "next-intl";
import type { FormAction } from "@/lib/auth/action";
import { useKeepValues } from "@/components/ui/use-keep-values";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { CONTROL_CLASS, Field } from "@/components/ui/field";
import { TextField } from "@/components/ui/text-field";

interface AddReturnUrlFormProps<T> {
  action: FormAction<T>;
  keys: { id: string; name: string; displayPrefix: string }[];
}

/** Allows an API key's hosted links to send users back to addresses under a prefix. */
export function AddReturnUrlForm<T>({ action, keys }: AddReturnUrlFormProps<T>) {
  const t = useTranslations("hostedAdmin");
  const [state, formAction, pending] = useActionState(action, null);
  const keepValues = useKeepValues(formAction);
  const errors = state && !state.ok ? state.fieldErrors : undefined;
  return (
    <form
      onSubmit={keepValues}
      noValidate
      aria-labelledby="add-return-url-heading"
      className="space-y-4 rounded-lg bg-white p-6 shadow-sm ring-1 ring-slate-200"
    >
      <h3 id="add-return-url-heading" className="text-base font-semibold text-slate-900">
        {t("addHeading")}
      </h3>
      {state && !state.ok && !errors ? <Alert tone="error" role="alert" title={state.message} /> : null}
      {state?.ok ? <Alert tone="success" role="status" title={t("added")} /> : null}
      <Field id="apiKeyId" label={t("key")} errors={errors?.apiKeyId}>
        {(control) => (
          <select name="apiKeyId" className={CONTROL_CLASS} {...control} defaultValue="">
            <option value="" disabled>
              {t("chooseKey")}
            </option>
            {keys.map((key) => (
              <option key={key.id} value={key.id}>
                {key.name} ({key.displayPrefix}…)
              </option>
            ))}
          </select>
        )}
      </Field>
      <TextField
        name="urlPrefix"
        type="url"
        label={t("urlPrefix")}
        hint={t("urlPrefixHint")}
        errors={errors?.urlPrefix}
      />
      <Button type="submit" disabled={pending}>
        {pending ? t("adding") : t("add")}
      </Button>
    </form>
  );
}
