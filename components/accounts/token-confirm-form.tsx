"use client";

import { useActionForm } from "@/components/ui/use-keep-values";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import type { FormAction } from "@/lib/auth/action";

/**
 * One button that uses an emailed link's token. A press, not the page load,
 * uses it: mail scanners that fetch links do not spend it.
 */
export function TokenConfirmForm<T>({
  action,
  token,
  label,
  pendingLabel,
}: {
  action: FormAction<T>;
  token: string;
  label: string;
  pendingLabel: string;
}) {
  const { form, pending, formError } = useActionForm(action);
  return (
    <form {...form} className="mt-6 space-y-4">
      {formError ? <Alert tone="error" role="alert" title={formError} /> : null}
      <input type="hidden" name="token" value={token} />
      <Button type="submit" disabled={pending} className="w-full">
        {pending ? pendingLabel : label}
      </Button>
    </form>
  );
}
