"use client";

import { useActionState } from "react";
import { useTranslations } from "next-intl";
import { useKeepValues } from "@/components/ui/use-keep-values";
import type { FormAction } from "@/lib/auth/action";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/text-field";

interface PublishFormProps<T> {
  versionId: string;
  action: FormAction<T>;
  today: string;
  earliestMaterial: string;
  noticePeriodDays: number;
  timeZone: string;
  /** The purposes widen the scope: the material box starts ticked. */
  mustBeMaterial: boolean;
  /** Bidi control characters in the texts being published: publishing needs a confirmation. */
  bidiControls: number;
}

export function PublishForm<T>({
  versionId,
  action,
  today,
  earliestMaterial,
  noticePeriodDays,
  timeZone,
  mustBeMaterial,
  bidiControls,
}: PublishFormProps<T>) {
  const t = useTranslations("adminVersions.publish");
  const [state, formAction, pending] = useActionState(action, null);
  const keepValues = useKeepValues(formAction);
  const errors = state && !state.ok ? state.fieldErrors : undefined;
  return (
    <form
      onSubmit={keepValues}
      noValidate
      className="space-y-4 rounded-lg bg-white p-6 shadow-sm ring-1 ring-slate-200"
      aria-labelledby="publish-heading"
    >
      <h2 id="publish-heading" className="text-lg font-semibold text-slate-900">
        {t("heading")}
      </h2>
      {state && !state.ok ? <Alert tone="error" role="alert" title={state.message} /> : null}
      <input type="hidden" name="versionId" value={versionId} />
      <TextField
        name="effectiveDate"
        type="date"
        label={t("effectiveDate")}
        hint={
          noticePeriodDays === 0
            ? t("effectiveHintNoNotice", { today, timeZone })
            : t("effectiveHint", { today, earliest: earliestMaterial, days: noticePeriodDays, timeZone })
        }
        required
        errors={errors?.effectiveDate}
      />
      <TextField
        name="lastUpdated"
        type="date"
        label={t("lastUpdated")}
        defaultValue={today}
        required
        errors={errors?.lastUpdated}
      />
      <div className="space-y-1">
        <label htmlFor="changeSummary" className="block text-sm font-medium text-slate-800">
          {t("summary")}
        </label>
        <p id="changeSummary-hint" className="text-xs text-slate-600">
          {t("summaryHint")}
        </p>
        <textarea
          id="changeSummary"
          name="changeSummary"
          rows={4}
          aria-invalid={errors?.changeSummary ? true : undefined}
          aria-describedby={`changeSummary-hint${errors?.changeSummary ? " changeSummary-error" : ""}`}
          className="block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm"
        />
        {errors?.changeSummary ? (
          <p id="changeSummary-error" role="alert" className="text-sm text-red-700">
            {errors.changeSummary.join(" ")}
          </p>
        ) : null}
      </div>
      <div className="flex items-start gap-2">
        <input
          id="material"
          name="material"
          type="checkbox"
          className="mt-1 h-4 w-4"
          defaultChecked={mustBeMaterial}
          aria-invalid={errors?.material ? true : undefined}
          aria-describedby={`material-hint${errors?.material ? " material-error" : ""}`}
        />
        <div>
          <label htmlFor="material" className="text-sm font-medium text-slate-800">
            {t("material")}
          </label>
          <p id="material-hint" className="text-xs text-slate-600">
            {noticePeriodDays === 0
              ? t("materialHintNoNotice")
              : t("materialHint", { days: noticePeriodDays })}
          </p>
          {errors?.material ? (
            <p id="material-error" role="alert" className="text-sm text-red-700">
              {errors.material.join(" ")}
            </p>
          ) : null}
        </div>
      </div>
      <div className="flex items-start gap-2">
        <input
          id="historical"
          name="historical"
          type="checkbox"
          className="mt-1 h-4 w-4"
          aria-describedby="historical-hint"
        />
        <div>
          <label htmlFor="historical" className="text-sm font-medium text-slate-800">
            {t("historical")}
          </label>
          <p id="historical-hint" className="text-xs text-slate-600">
            {t("historicalHint")}
          </p>
        </div>
      </div>
      <TextField name="label" label={t("label")} hint={t("labelHint")} errors={errors?.label} />
      {bidiControls > 0 || errors?.confirmBidi ? (
        <div className="flex items-start gap-2">
          <input
            id="confirmBidi"
            name="confirmBidi"
            type="checkbox"
            className="mt-1 h-4 w-4"
            aria-invalid={errors?.confirmBidi ? true : undefined}
            aria-describedby={errors?.confirmBidi ? "confirmBidi-error" : undefined}
          />
          <div>
            <label htmlFor="confirmBidi" className="text-sm font-medium text-slate-800">
              {t("confirmBidi")}
            </label>
            {errors?.confirmBidi ? (
              <p id="confirmBidi-error" role="alert" className="text-sm text-red-700">
                {t("confirmBidiError")}
              </p>
            ) : null}
          </div>
        </div>
      ) : null}
      <div className="flex items-start gap-2">
        <input
          id="reviewed"
          name="reviewed"
          type="checkbox"
          className="mt-1 h-4 w-4"
          aria-invalid={errors?.reviewed ? true : undefined}
          aria-describedby={errors?.reviewed ? "reviewed-error" : undefined}
        />
        <label htmlFor="reviewed" className="text-sm text-slate-800">
          {t("reviewed")}
        </label>
      </div>
      {errors?.reviewed ? (
        <p id="reviewed-error" role="alert" className="text-sm text-red-700">
          {errors.reviewed.join(" ")}
        </p>
      ) : null}
      <Button type="submit" disabled={pending}>
        {pending ? t("publishing") : t("submit")}
      </Button>
    </form>
  );
}
