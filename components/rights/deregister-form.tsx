"use client";

import { useTranslations } from "next-intl";
import type { FormAction } from "@/lib/auth/action";
import { useActionForm } from "@/components/ui/use-keep-values";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/text-field";

/** Closing the account: the password again and the statement confirmed. */
export function DeregisterForm<T>({ action }: { action: FormAction<T> }) {
  const t = useTranslations("deregister");
  const { form, pending, fieldErrors, formError } = useActionForm(action);
  return (
    <form {...form} noValidate className="space-y-4" aria-label={t("formHeading")}>
      {formError ? <Alert tone="error" role="alert" title={formError} /> : null}
      <TextField
        name="password"
        type="password"
        autoComplete="current-password"
        label={t("password")}
        hint={t("passwordHint")}
        errors={fieldErrors?.password}
      />
      <div className="flex items-start gap-2">
        <input
          id="confirm"
          name="confirm"
          type="checkbox"
          className="mt-1 h-4 w-4"
          aria-invalid={fieldErrors?.confirm ? true : undefined}
          aria-describedby={fieldErrors?.confirm ? "confirm-error" : undefined}
        />
        <label htmlFor="confirm" className="text-sm text-slate-800">
          {t("confirm")}
        </label>
      </div>
      {fieldErrors?.confirm ? (
        <p id="confirm-error" role="alert" className="text-sm text-red-700">
          {fieldErrors.confirm.join(" ")}
        </p>
      ) : null}
      <Button type="submit" disabled={pending} variant="danger">
        {pending ? t("submitting") : t("submit")}
      </Button>
    </form>
  );
}
