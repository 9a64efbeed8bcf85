"use client";

import { useTranslations } from "next-intl";
import { useActionForm } from "@/components/ui/use-keep-values";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/text-field";
import type { FormAction } from "@/lib/auth/action";

export function ChangeEmailForm({ action }: { action: FormAction<{ newEmail: string }> }) {
  const t = useTranslations("accounts");
  const { state, form, pending, fieldErrors, formError } = useActionForm(action);
  return (
    <form {...form} noValidate className="mt-3 space-y-4" aria-label={t("emailTitle")}>
      {formError ? <Alert tone="error" role="alert" title={formError} /> : null}
      {state?.ok ? (
        <Alert tone="success" role="status" title={t("changeEmailSent", { email: state.data.newEmail })} />
      ) : null}
      <TextField
        name="email"
        id="change-email-email"
        type="email"
        label={t("newEmail")}
        autoComplete="email"
        required
        errors={fieldErrors?.email}
      />
      <TextField
        name="currentPassword"
        id="change-email-password"
        type="password"
        label={t("currentPassword")}
        autoComplete="current-password"
        required
        errors={fieldErrors?.currentPassword}
      />
      <Button type="submit" variant="secondary" disabled={pending}>
        {t("changeEmailSubmit")}
      </Button>
    </form>
  );
}
