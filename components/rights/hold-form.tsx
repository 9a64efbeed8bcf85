"use client";

import { useTranslations } from "next-intl";
import type { FormAction } from "@/lib/auth/action";
import { useActionForm } from "@/components/ui/use-keep-values";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { RadioGroup } from "@/components/ui/radio-group";
import { TextArea } from "@/components/ui/text-area";
import { TextField } from "@/components/ui/text-field";

const BASES = ["COURT", "AUTHORITY", "LAW", "DISPUTE"] as const;

/** Placing a legal hold: the subject, the §2.2 ground and the case. */
export function HoldForm<T>({ action }: { action: FormAction<T> }) {
  const t = useTranslations("holds");
  const { state, form, pending, fieldErrors, formError } = useActionForm(action);
  return (
    <form {...form} noValidate className="space-y-4" aria-label={t("formHeading")}>
      {formError ? <Alert tone="error" role="alert" title={formError} /> : null}
      <TextField name="subject" label={t("subject")} hint={t("subjectHint")} errors={fieldErrors?.subject} />
      <RadioGroup
        name="basis"
        legend={t("basis")}
        options={BASES.map((basis) => ({ value: basis, label: t(`bases.${basis}`) }))}
        errors={fieldErrors?.basis}
      />
      <TextArea
        name="reason"
        label={t("reason")}
        hint={t("reasonHint")}
        maxLength={1000}
        errors={fieldErrors?.reason}
      />
      <div className="flex flex-wrap items-center gap-3">
        <Button type="submit" disabled={pending}>
          {pending ? t("placing") : t("place")}
        </Button>
        <span role="status" className="text-sm text-slate-700">
          {state?.ok ? t("placed") : null}
        </span>
      </div>
    </form>
  );
}
