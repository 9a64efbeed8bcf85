"use client";

import { useTranslations } from "next-intl";
import type { FormAction } from "@/lib/auth/action";
import { useActionForm } from "@/components/ui/use-keep-values";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/text-field";

interface PolicyFormProps<T> {
  action: FormAction<T>;
  policy: Record<(typeof FIELDS)[number], number>;
}

const FIELDS = [
  "requestDeadlineDays",
  "deregistrationGraceDays",
  "consentEvidenceDays",
  "sentMailDays",
  "rateLimitDays",
  "auditLogDays",
] as const;

/** The rights and retention policy: one number of days per rule, each explained. */
export function PolicyForm<T>({ action, policy }: PolicyFormProps<T>) {
  const t = useTranslations("retention");
  const { state, form, pending, fieldErrors, formError } = useActionForm(action);
  return (
    <form {...form} noValidate className="space-y-4" aria-label={t("policyHeading")}>
      {FIELDS.map((field) => (
        <TextField
          key={field}
          name={field}
          type="number"
          inputMode="numeric"
          min={0}
          label={t(`fields.${field}.label`)}
          hint={t(`fields.${field}.hint`)}
          defaultValue={policy[field]}
          errors={fieldErrors?.[field]}
          className="block w-32 rounded-md border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm aria-[invalid]:border-red-600"
        />
      ))}
      <div className="flex flex-wrap items-center gap-3">
        <Button type="submit" disabled={pending}>
          {pending ? t("saving") : t("save")}
        </Button>
        <span role="status" className="text-sm text-slate-700">
          {state?.ok ? t("saved") : null}
        </span>
      </div>
      {formError ? <Alert tone="error" role="alert" title={formError} /> : null}
    </form>
  );
}
