"use client";

import { useTranslations } from "next-intl";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/text-field";
import { Alert } from "@/components/ui/alert";
import { useActionForm } from "@/components/ui/use-keep-values";
import type { FormAction } from "@/lib/auth/action";

/** Success goes to "Check your email" (a redirect from the action); failures keep what was typed. */
export function SignUpForm<T>({ action }: { action: FormAction<T> }) {
  const t = useTranslations("auth");
  const { form, pending, fieldErrors, formError } = useActionForm(action);
  return (
    <form {...form} noValidate className="mt-6 space-y-4">
      {formError ? <Alert tone="error" role="alert" title={formError} /> : null}
      <TextField
        name="email"
        type="email"
        label={t("email")}
        autoComplete="email"
        required
        errors={fieldErrors?.email}
      />
      <TextField
        name="password"
        type="password"
        label={t("password")}
        hint={t("passwordRules")}
        autoComplete="new-password"
        required
        errors={fieldErrors?.password}
      />
      <Button type="submit" disabled={pending} className="w-full">
        {pending ? t("creating") : t("signUp")}
      </Button>
    </form>
  );
}
