"use client";

import { startTransition, type FormEvent } from "react";

/**
 * React resets a form after its `action` runs, which would throw away what an
 * admin typed whenever the server answers with field errors. Submitting through
 * onSubmit keeps the values so they can be corrected.
 */
export function useKeepValues(formAction: (data: FormData) => void) {
  return (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    startTransition(() => formAction(data));
  };
}
