"use client";

import { useActionState, useState } from "react";
import { useTranslations } from "next-intl";
import type { FormAction } from "@/lib/auth/action";
import type { ApiScopeName } from "@/lib/api-keys/scopes";
import { useKeepValues } from "@/components/ui/use-keep-values";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/text-field";

interface CreateKeyFormProps<T extends { key: string; name: string }> {
  action: FormAction<T>;
  scopes: ApiScopeName[];
  defaultRateLimit: number;
}

/** Creates a key; the answer shows the key once, with a copy button. */
export function CreateKeyForm<T extends { key: string; name: string }>({
  action,
  scopes,
  defaultRateLimit,
}: CreateKeyFormProps<T>) {
  const t = useTranslations("apiKeys");
  const [state, formAction, pending] = useActionState(action, null);
  const keepValues = useKeepValues(formAction);
  const [copied, setCopied] = useState<string | null>(null);
  const errors = state && !state.ok ? state.fieldErrors : undefined;
  const created = state?.ok ? state.data : null;
  return (
    <div className="space-y-4">
      {created ? (
        <Alert tone="success" role="status" title={t("createdTitle")}>
          <p>{t("createdBody")}</p>
          <div className="mt-3 flex flex-wrap items-end gap-2">
            <div className="min-w-0 flex-1">
              <label htmlFor="new-api-key" className="block text-xs font-medium">
                {t("keyLabel", { name: created.name })}
              </label>
              <input
                id="new-api-key"
                readOnly
                value={created.key}
                data-testid="new-api-key"
                onFocus={(event) => event.currentTarget.select()}
                className="mt-1 block w-full rounded-md border border-green-700 bg-white px-3 py-2 font-mono text-sm text-slate-900"
              />
            </div>
            <Button
              type="button"
              variant="secondary"
              onClick={() => {
                void navigator.clipboard?.writeText(created.key).then(() => setCopied(created.key));
              }}
            >
              {copied === created.key ? t("copied") : t("copy")}
            </Button>
          </div>
        </Alert>
      ) : null}
      <form
        key={created?.key ?? "new"}
        onSubmit={keepValues}
        noValidate
        aria-labelledby="create-key-heading"
        className="space-y-4 rounded-lg bg-white p-6 shadow-sm ring-1 ring-slate-200"
      >
        <h2 id="create-key-heading" className="text-lg font-semibold text-slate-900">
          {t("createHeading")}
        </h2>
        {state && !state.ok && !errors ? <Alert tone="error" role="alert" title={state.message} /> : null}
        <TextField name="name" label={t("name")} hint={t("nameHint")} required errors={errors?.name} />
        <fieldset
          className="space-y-2"
          aria-describedby={`scopes-hint${errors?.scopes ? " scopes-error" : ""}`}
        >
          <legend className="text-sm font-medium text-slate-800">{t("scopesLegend")}</legend>
          <p id="scopes-hint" className="text-xs text-slate-600">
            {t("scopesHint")}
          </p>
          {scopes.map((scope) => (
            <label key={scope} className="flex items-start gap-2 text-sm text-slate-800">
              <input type="checkbox" name={`scope:${scope}`} className="mt-1" />
              <span>
                <code className="font-mono text-xs">{scope}</code> — {t(`scopes.${scope}`)}
              </span>
            </label>
          ))}
          {errors?.scopes ? (
            <p id="scopes-error" role="alert" className="text-sm text-red-700">
              {errors.scopes.join(" ")}
            </p>
          ) : null}
        </fieldset>
        <TextField
          name="rateLimitPerMinute"
          type="number"
          inputMode="numeric"
          min={1}
          label={t("rateLimit")}
          hint={t("rateLimitHint")}
          defaultValue={defaultRateLimit}
          errors={errors?.rateLimitPerMinute}
        />
        <Button type="submit" disabled={pending}>
          {pending ? t("creating") : t("create")}
        </Button>
      </form>
    </div>
  );
}
