"use client";

import { useTranslations } from "next-intl";
import { useActionForm } from "@/components/ui/use-keep-values";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/text-field";
import type { FormAction } from "@/lib/auth/action";

/** "Forgot password?": the same answer whether or not the address has an account. */
export function ForgotPasswordForm<T>({ action }: { action: FormAction<T> }) {
  const t = useTranslations("accounts");
  const auth = useTranslations("auth");
  const { state, form, pending, fieldErrors, formError } = useActionForm(action);
  return (
    <form {...form} noValidate className="mt-6 space-y-4">
      {formError ? <Alert tone="error" role="alert" title={formError} /> : null}
      {state?.ok ? <Alert tone="success" role="status" title={t("forgotSent")} /> : null}
      <TextField
        name="email"
        type="email"
        label={auth("email")}
        autoComplete="email"
        required
        errors={fieldErrors?.email}
      />
      <Button type="submit" disabled={pending} className="w-full">
        {pending ? t("forgotSending") : t("forgotSubmit")}
      </Button>
    </form>
  );
}
