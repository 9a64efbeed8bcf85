"use client";

import { useActionState, type ReactNode } from "react";
import type { FormAction } from "@/lib/auth/action";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";

interface ActionFormProps<T> {
  action: FormAction<T>;
  fields: Record<string, string>;
  label: string;
  pendingLabel: string;
  variant?: "primary" | "secondary" | "danger";
  confirm?: string;
  children?: ReactNode;
}

/** A one-button form for a server action (create, delete, retire), reporting its error inline. */
export function ActionForm<T>({
  action,
  fields,
  label,
  pendingLabel,
  variant = "primary",
  confirm,
  children,
}: ActionFormProps<T>) {
  const [state, formAction, pending] = useActionState(action, null);
  return (
    <form
      action={formAction}
      onSubmit={(event) => {
        if (confirm && !window.confirm(confirm)) event.preventDefault();
      }}
      className="space-y-2"
    >
      {Object.entries(fields).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      {children}
      <Button type="submit" variant={variant} disabled={pending}>
        {pending ? pendingLabel : label}
      </Button>
      {state && !state.ok ? <Alert tone="error" role="alert" title={state.message} /> : null}
    </form>
  );
}
