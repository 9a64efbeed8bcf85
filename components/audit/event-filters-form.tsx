import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/text-field";
import { SelectField } from "@/components/audit/select-field";
import { CONSENT_ACTIONS, CONSENT_METHODS } from "@/lib/audit/filters";
import type { FieldErrors } from "@/lib/result";

interface EventFiltersFormProps {
  /** What the user typed, valid or not, so a mistake can be corrected in place. */
  values: Record<string, string>;
  purposeKeys: string[];
  errors?: FieldErrors | undefined;
}

/** A plain GET form: the filters live in the URL, so a filtered view can be bookmarked and shared. */
export async function EventFiltersForm({ values, purposeKeys, errors }: EventFiltersFormProps) {
  const t = await getTranslations("auditExplorer");
  return (
    <form
      method="get"
      action="/audit"
      aria-labelledby="filters-title"
      className="space-y-4 rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200"
    >
      <h2 id="filters-title" className="text-lg font-semibold text-slate-900">
        {t("filtersTitle")}
      </h2>
      <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
        <TextField
          name="from"
          label={t("from")}
          hint={t("dateHint")}
          defaultValue={values.from}
          errors={errors?.from}
        />
        <TextField
          name="to"
          label={t("to")}
          hint={t("dateHint")}
          defaultValue={values.to}
          errors={errors?.to}
        />
        <TextField
          name="user"
          label={t("user")}
          hint={t("userHint")}
          defaultValue={values.user}
          errors={errors?.user}
        />
        <TextField
          name="version"
          label={t("version")}
          inputMode="numeric"
          defaultValue={values.version}
          errors={errors?.version}
        />
        <SelectField
          name="purpose"
          label={t("purpose")}
          value={values.purpose}
          anyLabel={t("any")}
          options={purposeKeys.map((key) => ({ value: key, label: key }))}
          errors={errors?.purpose}
        />
        <SelectField
          name="action"
          label={t("action")}
          value={values.action}
          anyLabel={t("any")}
          options={CONSENT_ACTIONS.map((action) => ({ value: action, label: t(`actions.${action}`) }))}
          errors={errors?.action}
        />
        <SelectField
          name="method"
          label={t("method")}
          value={values.method}
          anyLabel={t("any")}
          options={CONSENT_METHODS.map((method) => ({ value: method, label: t(`methods.${method}`) }))}
          errors={errors?.method}
        />
        <input type="hidden" name="limit" value={values.limit ?? ""} />
      </div>
      <div className="flex items-center gap-4">
        <Button type="submit">{t("apply")}</Button>
        <Link href="/audit" className="text-sm text-brand-700 underline">
          {t("clear")}
        </Link>
      </div>
    </form>
  );
}
