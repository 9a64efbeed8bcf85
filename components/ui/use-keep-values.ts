"use client";

import { startTransition, useActionState, type FormEvent } from "react";
import type { FormAction } from "@/lib/auth/action";

/**
 * React resets a form after its `action` runs, which would throw away what
 * someone typed whenever the server answers with field errors. Submitting
 * through onSubmit keeps the values so they can be corrected. Give the form
 * `action={formAction}` as well: without JavaScript it then still posts, and
 * with it React sees the prevented default and leaves the action to this.
 */
export function useKeepValues(formAction: (data: FormData) => void) {
  return (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    startTransition(() => formAction(data));
  };
}

/**
 * A server-action form that keeps its values: spread `form` on the <form>,
 * show `fieldErrors` beside the fields and `formError` (a failure that names
 * no field) above them.
 */
export function useActionForm<T>(action: FormAction<T>) {
  const [state, formAction, pending] = useActionState(action, null);
  const onSubmit = useKeepValues(formAction);
  const fieldErrors = state && !state.ok ? state.fieldErrors : undefined;
  const formError = state && !state.ok && !fieldErrors ? state.message : undefined;
  return { state, pending, fieldErrors, formError, form: { action: formAction, onSubmit } };
}
