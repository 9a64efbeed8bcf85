"use client";

import { useTranslations } from "next-intl";
import type { FormAction } from "@/lib/auth/action";
import { useActionForm } from "@/components/ui/use-keep-values";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { RadioGroup } from "@/components/ui/radio-group";
import { TextArea } from "@/components/ui/text-area";

export function RespondForm<T>({ action, requestId }: { action: FormAction<T>; requestId: string }) {
  const t = useTranslations("desk.detail");
  const { form, pending, fieldErrors, formError } = useActionForm(action);
  return (
    <form {...form} noValidate className="space-y-4">
      <input type="hidden" name="requestId" value={requestId} />
      <RadioGroup
        name="decision"
        legend={t("decision")}
        options={(["COMPLETED", "REFUSED"] as const).map((value) => ({
          value,
          label: t(`decisions.${value}`),
        }))}
        errors={fieldErrors?.decision}
      />
      <TextArea name="outcome" label={t("outcomeLabel")} maxLength={5000} errors={fieldErrors?.outcome} />
      <Button type="submit" disabled={pending}>
        {pending ? t("responding") : t("respond")}
      </Button>
      {formError ? <Alert tone="error" role="alert" title={formError} /> : null}
    </form>
  );
}
