"use client";

import { useEffect, useRef } from "react";
import { useTranslations } from "next-intl";
import type { FormAction } from "@/lib/auth/action";
import { useActionForm } from "@/components/ui/use-keep-values";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { TextArea } from "@/components/ui/text-area";

export function NoteForm<T>({ action, requestId }: { action: FormAction<T>; requestId: string }) {
  const t = useTranslations("desk.detail");
  const { state, form, pending, fieldErrors, formError } = useActionForm(action);
  const element = useRef<HTMLFormElement>(null);
  // A saved note clears the box; a refused one keeps what was typed.
  useEffect(() => {
    if (state?.ok) element.current?.reset();
  }, [state]);
  return (
    <form ref={element} {...form} noValidate className="space-y-2">
      <input type="hidden" name="requestId" value={requestId} />
      <TextArea name="body" label={t("noteLabel")} rows={3} maxLength={5000} errors={fieldErrors?.body} />
      <Button type="submit" variant="secondary" disabled={pending}>
        {pending ? t("adding") : t("addNote")}
      </Button>
      {formError ? <Alert tone="error" role="alert" title={formError} /> : null}
    </form>
  );
}
