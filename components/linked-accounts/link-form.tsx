"use client";

import { useTranslations } from "next-intl";
import type { FormAction } from "@/lib/auth/action";
import { useActionForm } from "@/components/ui/use-keep-values";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/text-field";

/** Linking a service's id to an Accord account (an admin, at the person's request). */
export function LinkForm<T>({ action }: { action: FormAction<T> }) {
  const t = useTranslations("linkedAccounts");
  const { state, form, pending, fieldErrors, formError } = useActionForm(action);
  return (
    <form {...form} noValidate className="space-y-4" aria-label={t("formHeading")}>
      {formError ? <Alert tone="error" role="alert" title={formError} /> : null}
      <TextField
        name="externalId"
        label={t("externalId")}
        hint={t("externalIdHint")}
        errors={fieldErrors?.externalId}
      />
      <TextField name="account" label={t("account")} hint={t("accountHint")} errors={fieldErrors?.account} />
      <div className="flex flex-wrap items-center gap-3">
        <Button type="submit" disabled={pending}>
          {pending ? t("linking") : t("link")}
        </Button>
        <span role="status" className="text-sm text-slate-700">
          {state?.ok ? t("linked") : null}
        </span>
      </div>
    </form>
  );
}
