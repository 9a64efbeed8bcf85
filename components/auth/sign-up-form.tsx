"use client";

import { startTransition, useActionState, useEffect, useRef } from "react";
import { useRouter } from "next/navigation";
import { signIn } from "next-auth/react";
import { useTranslations } from "next-intl";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/text-field";
import { Alert } from "@/components/ui/alert";
import type { FormAction } from "@/lib/auth/action";

export function SignUpForm<T>({ action }: { action: FormAction<T> }) {
  const t = useTranslations("auth");
  const router = useRouter();
  // Submitted through onSubmit (not the form's action) so React does not reset
  // the form: after a field error, what was typed is still there to correct.
  // The data is also kept for the sign-in that follows success.
  const submitted = useRef<FormData | null>(null);
  const [state, formAction, pending] = useActionState(action, null);
  const fieldErrors = state && !state.ok ? state.fieldErrors : undefined;

  useEffect(() => {
    const data = submitted.current;
    if (!state?.ok || !data) return;
    submitted.current = null;
    void signIn("credentials", {
      email: data.get("email"),
      password: data.get("password"),
      redirect: false,
    }).then(() => {
      router.replace("/account");
      router.refresh();
    });
  }, [state, router]);

  return (
    <form
      action={formAction}
      onSubmit={(event) => {
        event.preventDefault();
        const data = new FormData(event.currentTarget);
        submitted.current = data;
        startTransition(() => formAction(data));
      }}
      noValidate
      className="mt-6 space-y-4"
    >
      {state && !state.ok && !fieldErrors ? <Alert tone="error" role="alert" title={state.message} /> : null}
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
      <Button type="submit" disabled={pending || state?.ok} className="w-full">
        {pending || state?.ok ? t("creating") : t("signUp")}
      </Button>
    </form>
  );
}
