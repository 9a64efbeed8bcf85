"use client";

import Link from "next/link";
import { useTranslations } from "next-intl";
import type { FormAction } from "@/lib/auth/action";
import { useActionForm } from "@/components/ui/use-keep-values";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/text-field";

/** Restoring a closed account during its grace period: its email and password. */
export function RestoreForm<T>({ action }: { action: FormAction<T> }) {
  const t = useTranslations("deregister");
  const { state, form, pending, fieldErrors, formError } = useActionForm(action);
  if (state?.ok)
    return (
      <Alert tone="success" role="status" title={t("restored")}>
        <Link href="/signin" className="font-medium underline">
          {t("signIn")}
        </Link>
      </Alert>
    );
  return (
    <form {...form} noValidate className="space-y-4" aria-label={t("restoreHeading")}>
      {formError ? <Alert tone="error" role="alert" title={formError} /> : null}
      <TextField
        name="email"
        type="email"
        autoComplete="email"
        label={t("email")}
        errors={fieldErrors?.email}
      />
      <TextField
        name="password"
        type="password"
        autoComplete="current-password"
        label={t("password")}
        errors={fieldErrors?.password}
      />
      <Button type="submit" disabled={pending}>
        {pending ? t("restoring") : t("restore")}
      </Button>
    </form>
  );
}
