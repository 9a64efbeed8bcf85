"use client";

import { useActionState, useState } from "react";
import { useTranslations } from "next-intl";
import type { FormAction } from "@/lib/auth/action";
import type { WebhookEventType } from "@/lib/webhooks/event-types";
import { useKeepValues } from "@/components/ui/use-keep-values";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/text-field";

interface CreateWebhookFormProps<T extends { secret: string; url: string }> {
  action: FormAction<T>;
  eventTypes: readonly WebhookEventType[];
}

/** Registers an endpoint; the answer shows its signing secret once, with a copy button. */
export function CreateWebhookForm<T extends { secret: string; url: string }>({
  action,
  eventTypes,
}: CreateWebhookFormProps<T>) {
  const t = useTranslations("webhooks");
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
              <label htmlFor="new-webhook-secret" className="block text-xs font-medium">
                {t("secretLabel", { url: created.url })}
              </label>
              <input
                id="new-webhook-secret"
                readOnly
                value={created.secret}
                data-testid="new-webhook-secret"
                onFocus={(event) => event.currentTarget.select()}
                className="mt-1 block w-full rounded-md border border-green-700 bg-white px-3 py-2 font-mono text-sm text-slate-900"
              />
            </div>
            <Button
              type="button"
              variant="secondary"
              onClick={() => {
                void navigator.clipboard?.writeText(created.secret).then(() => setCopied(created.secret));
              }}
            >
              {copied === created.secret ? t("copied") : t("copy")}
            </Button>
          </div>
        </Alert>
      ) : null}
      <form
        key={created?.secret ?? "new"}
        onSubmit={keepValues}
        noValidate
        aria-labelledby="create-webhook-heading"
        className="space-y-4 rounded-lg bg-white p-6 shadow-sm ring-1 ring-slate-200"
      >
        <h2 id="create-webhook-heading" className="text-lg font-semibold text-slate-900">
          {t("createHeading")}
        </h2>
        {state && !state.ok && !errors ? <Alert tone="error" role="alert" title={state.message} /> : null}
        <TextField name="url" type="url" label={t("url")} hint={t("urlHint")} required errors={errors?.url} />
        <TextField name="description" label={t("description")} errors={errors?.description} />
        <fieldset
          className="space-y-2"
          aria-describedby={`events-hint${errors?.eventTypes ? " events-error" : ""}`}
        >
          <legend className="text-sm font-medium text-slate-800">{t("eventsLegend")}</legend>
          <p id="events-hint" className="text-xs text-slate-600">
            {t("eventsHint")}
          </p>
          {eventTypes.map((type) => (
            <label key={type} className="flex items-start gap-2 text-sm text-slate-800">
              <input type="checkbox" name={`event:${type}`} className="mt-1" />
              <span>
                <code className="font-mono text-xs">{type}</code>: {t(`events.${type}`)}
              </span>
            </label>
          ))}
          {errors?.eventTypes ? (
            <p id="events-error" role="alert" className="text-sm text-red-700">
              {errors.eventTypes.join(" ")}
            </p>
          ) : null}
        </fieldset>
        <Button type="submit" disabled={pending}>
          {pending ? t("creating") : t("create")}
        </Button>
      </form>
    </div>
  );
}
