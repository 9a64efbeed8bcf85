"use client";

import { useTranslations } from "next-intl";
import type { FormAction } from "@/lib/auth/action";
import { useActionForm } from "@/components/ui/use-keep-values";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { TextArea } from "@/components/ui/text-area";
import { TextField } from "@/components/ui/text-field";
import { ContentWarnings } from "@/components/admin/content-warnings";
import type { TextReview } from "@/lib/agreements/content-review";

export interface TranslationFormPurpose {
  key: string;
  /** The authoritative name and notice, shown beside the fields. */
  name: string;
  description: string;
  translatedName: string;
  translatedDescription: string;
}

interface TranslationFormProps<T extends { review: TextReview }> {
  versionId: string;
  locale: string;
  languageName: string;
  title: string;
  bodyMarkdown: string;
  purposes: TranslationFormPurpose[];
  published: boolean;
  action: FormAction<T>;
}

/** Title, text and every purpose's name and notice in one language; the authoritative wording beside each. */
export function TranslationForm<T extends { review: TextReview }>({
  versionId,
  locale,
  languageName,
  title,
  bodyMarkdown,
  purposes,
  published,
  action,
}: TranslationFormProps<T>) {
  const t = useTranslations("translations");
  const { state, pending, fieldErrors, formError, form } = useActionForm(action);
  const id = (name: string) => `${locale}-${name}`;
  return (
    <form {...form} className="space-y-4" aria-label={t("formLabel", { language: languageName })}>
      <input type="hidden" name="versionId" value={versionId} />
      <input type="hidden" name="locale" value={locale} />
      {published ? <Alert tone="warning" title={t("publishedWarning")} /> : null}
      {formError ? <Alert tone="error" role="alert" title={formError} /> : null}
      {state?.ok ? <Alert tone="success" role="status" title={t("saved")} /> : null}
      <TextField
        id={id("title")}
        name="title"
        label={t("titleField")}
        lang={locale}
        defaultValue={title}
        required
        errors={fieldErrors?.title}
      />
      <TextArea
        id={id("body")}
        name="bodyMarkdown"
        label={t("body")}
        hint={t("bodyHint")}
        lang={locale}
        rows={16}
        defaultValue={bodyMarkdown}
        required
        errors={fieldErrors?.bodyMarkdown}
        className="font-mono text-sm"
      />
      <fieldset className="space-y-4">
        <legend className="text-base font-semibold text-slate-900">{t("purposes")}</legend>
        <p className="text-sm text-slate-600">{t("purposesHint")}</p>
        {purposes.map((purpose) => (
          <div key={purpose.key} className="space-y-2 rounded-md bg-slate-50 p-3">
            <p className="text-sm text-slate-700">
              <span className="font-medium">{purpose.key}</span>:{" "}
              <span lang="en">
                {purpose.name}. {purpose.description}
              </span>
            </p>
            <TextField
              id={id(`purpose-${purpose.key}-name`)}
              name={`purpose.${purpose.key}.name`}
              label={t("purposeName", { key: purpose.key })}
              lang={locale}
              defaultValue={purpose.translatedName}
              errors={fieldErrors?.[`purpose.${purpose.key}.name`]}
            />
            <TextArea
              id={id(`purpose-${purpose.key}-description`)}
              name={`purpose.${purpose.key}.description`}
              label={t("purposeNotice", { key: purpose.key })}
              lang={locale}
              rows={3}
              defaultValue={purpose.translatedDescription}
              errors={fieldErrors?.[`purpose.${purpose.key}.description`]}
            />
          </div>
        ))}
      </fieldset>
      {fieldErrors?.confirmBidi ? (
        <div className="flex items-start gap-2">
          <input
            id={id("confirmBidi")}
            name="confirmBidi"
            type="checkbox"
            className="mt-1 h-4 w-4"
            aria-invalid
            aria-describedby={id("confirmBidi-error")}
          />
          <div>
            <label htmlFor={id("confirmBidi")} className="text-sm font-medium text-slate-800">
              {t("confirmBidi")}
            </label>
            <p id={id("confirmBidi-error")} role="alert" className="text-sm text-red-700">
              {t("confirmBidiError")}
            </p>
          </div>
        </div>
      ) : null}
      <Button type="submit" disabled={pending}>
        {pending ? t("saving") : published ? t("addPublished") : t("save")}
      </Button>
      {state?.ok ? <ContentWarnings reviews={[state.data.review]} /> : null}
    </form>
  );
}
