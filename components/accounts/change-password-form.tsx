"use client";

import { useTranslations } from "next-intl";
import { useActionForm } from "@/components/ui/use-keep-values";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/text-field";
import type { FormAction } from "@/lib/auth/action";

export function ChangePasswordForm({ action }: { action: FormAction<null> }) {
  const t = useTranslations("accounts");
  const auth = useTranslations("auth");
  // Success redirects to /account?done=password, which says so.
  const { form, pending, fieldErrors, formError } = useActionForm(action);
  return (
    <form {...form} noValidate className="mt-3 space-y-4" aria-label={t("passwordTitle")}>
      {formError ? <Alert tone="error" role="alert" title={formError} /> : null}
      <TextField
        name="currentPassword"
        id="change-password-current"
        type="password"
        label={t("currentPassword")}
        autoComplete="current-password"
        required
        errors={fieldErrors?.currentPassword}
      />
      <TextField
        name="password"
        id="change-password-new"
        type="password"
        label={t("newPassword")}
        hint={auth("passwordRules")}
        autoComplete="new-password"
        required
        errors={fieldErrors?.password}
      />
      <Button type="submit" variant="secondary" disabled={pending}>
        {t("changePasswordSubmit")}
      </Button>
    </form>
  );
}
