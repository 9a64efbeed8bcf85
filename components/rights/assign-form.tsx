"use client";

import { useActionState } from "react";
import { useTranslations } from "next-intl";
import type { FormAction } from "@/lib/auth/action";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";

interface AssignFormProps<T> {
  action: FormAction<T>;
  requestId: string;
  admins: { id: string; email: string | null }[];
  current: string;
}

export function AssignForm<T>({ action, requestId, admins, current }: AssignFormProps<T>) {
  const t = useTranslations("desk");
  const [state, formAction, pending] = useActionState(action, null);
  return (
    <form action={formAction} className="flex flex-wrap items-end gap-2 text-sm">
      <input type="hidden" name="requestId" value={requestId} />
      <label className="space-y-1">
        <span className="block font-medium text-slate-800">{t("columns.assignee")}</span>
        <select
          name="assigneeId"
          defaultValue={current}
          className="rounded-md border border-slate-300 bg-white px-3 py-2"
        >
          <option value="">{t("unassigned")}</option>
          {admins.map((admin) => (
            <option key={admin.id} value={admin.id}>
              {admin.email}
            </option>
          ))}
        </select>
      </label>
      <Button type="submit" variant="secondary" disabled={pending}>
        {pending ? t("detail.assigning") : t("detail.assign")}
      </Button>
      {state && !state.ok ? (
        <Alert tone="error" role="alert" title={state.fieldErrors?.assigneeId?.join(" ") ?? state.message} />
      ) : null}
    </form>
  );
}
