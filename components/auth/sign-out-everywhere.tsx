"use client";

import { useActionState } from "react";
import { useTranslations } from "next-intl";
import { Button } from "@/components/ui/button";
import { Alert } from "@/components/ui/alert";
import type { FormAction } from "@/lib/auth/action";

/** "Sign out everywhere": ends every session of this account; the action then shows sign-in. */
export function SignOutEverywhere({ action }: { action: FormAction<null> }) {
  const t = useTranslations("account");
  const [state, formAction, pending] = useActionState(action, null);
  return (
    <form action={formAction} className="mt-3">
      {state && !state.ok ? <Alert tone="error" role="alert" title={state.message} /> : null}
      <Button type="submit" variant="secondary" disabled={pending}>
        {t("signOutEverywhere")}
      </Button>
    </form>
  );
}
