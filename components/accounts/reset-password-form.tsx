"use client";

import { useTranslations } from "next-intl";
import { useActionForm } from "@/components/ui/use-keep-values";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/text-field";
import type { FormAction } from "@/lib/auth/action";

export function ResetPasswordForm<T>({ action, token }: { action: FormAction<T>; token: string }) {
  const t = useTranslations("accounts");
  const auth = useTranslations("auth");
  const { form, pending, fieldErrors, formError } = useActionForm(action);
  return (
    <form {...form} noValidate className="mt-6 space-y-4">
      {formError ? <Alert tone="error" role="alert" title={formError} /> : null}
      <input type="hidden" name="token" value={token} />
      <TextField
        name="password"
        type="password"
        label={t("newPassword")}
        hint={auth("passwordRules")}
        autoComplete="new-password"
        required
        errors={fieldErrors?.password}
      />
      <Button type="submit" disabled={pending} className="w-full">
        {pending ? t("resetSaving") : t("resetSubmit")}
      </Button>
    </form>
  );
}
