"use client";

import { useActionState } from "react";
import { useTranslations } from "next-intl";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import type { FormAction } from "@/lib/auth/action";

export function ResendVerification({ action }: { action: FormAction<null> }) {
  const t = useTranslations("accounts");
  const [state, formAction, pending] = useActionState(action, null);
  return (
    <form action={formAction} className="mt-3 space-y-3">
      {state && !state.ok ? <Alert tone="error" role="alert" title={state.message} /> : null}
      {state?.ok ? <Alert tone="success" role="status" title={t("resent")} /> : null}
      <Button type="submit" variant="secondary" disabled={pending}>
        {pending ? t("resending") : t("resend")}
      </Button>
    </form>
  );
}
