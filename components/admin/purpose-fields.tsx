"use client";

import { useTranslations } from "next-intl";
import type { FieldErrors } from "@/lib/result";
import { TextField } from "@/components/ui/text-field";

interface PurposeFieldsProps {
  idPrefix: string;
  name?: string;
  description?: string;
  basic?: boolean;
  dpvTerm?: string | null;
  errors?: FieldErrors | undefined;
}

/** The editable notice of one purpose: what a user is asked to consent to. */
export function PurposeFields({ idPrefix, name, description, basic, dpvTerm, errors }: PurposeFieldsProps) {
  const t = useTranslations("adminVersions.purposes");
  return (
    <>
      <TextField
        id={`${idPrefix}-name`}
        name="name"
        label={t("name")}
        defaultValue={name}
        required
        errors={errors?.name}
      />
      <div className="space-y-1">
        <label htmlFor={`${idPrefix}-description`} className="block text-sm font-medium text-slate-800">
          {t("description")}
        </label>
        <textarea
          id={`${idPrefix}-description`}
          name="description"
          defaultValue={description}
          rows={3}
          required
          aria-invalid={errors?.description ? true : undefined}
          aria-describedby={errors?.description ? `${idPrefix}-description-error` : undefined}
          className="block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm"
        />
        {errors?.description ? (
          <p id={`${idPrefix}-description-error`} role="alert" className="text-sm text-red-700">
            {errors.description.join(" ")}
          </p>
        ) : null}
      </div>
      <TextField
        id={`${idPrefix}-dpv`}
        name="dpvTerm"
        label={t("dpvTerm")}
        hint={t("dpvHint")}
        defaultValue={dpvTerm ?? ""}
        errors={errors?.dpvTerm}
      />
      <div className="flex items-center gap-2">
        <input
          id={`${idPrefix}-basic`}
          name="basic"
          type="checkbox"
          defaultChecked={basic}
          className="h-4 w-4"
        />
        <label htmlFor={`${idPrefix}-basic`} className="text-sm text-slate-800">
          {t("basic")}
        </label>
      </div>
    </>
  );
}
