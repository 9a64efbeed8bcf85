"use client";

import { useTranslations } from "next-intl";
import type { FormAction } from "@/lib/auth/action";
import { USER_REQUEST_TYPES } from "@/lib/rights/schemas";
import { useActionForm } from "@/components/ui/use-keep-values";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { RadioGroup } from "@/components/ui/radio-group";
import { TextArea } from "@/components/ui/text-area";

/** The user's form for a rights request; what was typed survives a validation error. */
export function RequestForm<T>({ action }: { action: FormAction<T> }) {
  const t = useTranslations("requests");
  const { form, pending, fieldErrors, formError } = useActionForm(action);
  return (
    <form {...form} noValidate className="space-y-4" aria-label={t("formHeading")}>
      {formError ? <Alert tone="error" role="alert" title={formError} /> : null}
      <RadioGroup
        name="type"
        legend={t("typeLegend")}
        options={USER_REQUEST_TYPES.map((type) => ({
          value: type,
          label: t(`types.${type}`),
          hint: t(`typeHints.${type}`),
        }))}
        errors={fieldErrors?.type}
      />
      <TextArea
        name="message"
        label={t("message")}
        hint={t("messageHint")}
        maxLength={5000}
        errors={fieldErrors?.message}
      />
      <Button type="submit" disabled={pending}>
        {pending ? t("submitting") : t("submit")}
      </Button>
    </form>
  );
}
