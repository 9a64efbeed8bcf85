import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { connection } from "next/server";
import { getLocale, getTranslations } from "next-intl/server";
import { z } from "zod";
import { ADMIN_ROLES, requirePageActor } from "@/lib/auth/actor";
import { localeNames, locales } from "@/lib/i18n/locales";
import { getVersionTranslations } from "@/lib/agreements/translation-admin";
import { formatDateTime } from "@/lib/format";
import { ActionForm } from "@/components/admin/action-form";
import { Section } from "@/components/ui/section";
import { TranslationForm } from "@/components/translations/translation-form";
import { deleteTranslationAction, saveTranslationAction } from "./actions";

export const metadata: Metadata = { title: "Translations" };

export default async function TranslationsPage({ params }: PageProps<"/admin/versions/[id]/translations">) {
  await connection();
  const { id } = await params;
  await requirePageActor(`/admin/versions/${id}/translations`, ADMIN_ROLES);
  if (!z.uuid().safeParse(id).success) notFound();
  const version = await getVersionTranslations(id);
  if (!version) notFound();
  const t = await getTranslations("translations");
  const locale = await getLocale();
  const published = version.publishedAt !== null;
  const languages = locales.filter((l) => l !== version.locale);
  return (
    <div className="space-y-6">
      <p>
        <Link href={`/admin/versions/${version.id}`} className="text-sm text-brand-700 underline">
          {t("back")}
        </Link>
      </p>
      <h1 className="text-2xl font-bold text-slate-900">
        {version.number !== null ? t("title", { number: version.number }) : t("draftTitle")}
      </h1>
      <p className="max-w-3xl text-slate-700">
        {t("intro", { language: localeNames[version.locale as keyof typeof localeNames] ?? version.locale })}
      </p>
      {languages.map((language) => {
        const translation = version.translations.find((tr) => tr.locale === language);
        const frozen = translation?.publishedAt ? translation : null;
        return (
          <Section
            key={language}
            title={<span lang={language}>{localeNames[language]}</span>}
            id={`translation-${language}`}
          >
            {frozen ? (
              <div className="space-y-2 text-sm text-slate-700" data-testid={`translation-${language}`}>
                <p>{t("frozen", { when: formatDateTime(frozen.publishedAt, locale) })}</p>
                <p lang={language} className="font-medium">
                  {frozen.title}
                </p>
                <p className="break-all font-mono text-xs">
                  {t("sha256")}: {frozen.bodySha256}
                </p>
              </div>
            ) : (
              <>
                {published ? null : (
                  <p className="mb-3 text-sm text-slate-700">{translation ? t("draftState") : t("none")}</p>
                )}
                <TranslationForm
                  versionId={version.id}
                  locale={language}
                  languageName={localeNames[language]}
                  title={translation?.title ?? ""}
                  bodyMarkdown={translation?.bodyMarkdown ?? ""}
                  published={published}
                  purposes={version.purposes.map((purpose) => {
                    const tr = purpose.translations.find((p) => p.locale === language);
                    return {
                      key: purpose.key,
                      name: purpose.name,
                      description: purpose.description,
                      translatedName: tr?.name ?? "",
                      translatedDescription: tr?.description ?? "",
                    };
                  })}
                  action={saveTranslationAction}
                />
                {translation && !published ? (
                  <div className="mt-4">
                    <ActionForm
                      action={deleteTranslationAction}
                      fields={{ versionId: version.id, locale: language }}
                      label={t("delete")}
                      pendingLabel={t("deleting")}
                      variant="danger"
                      confirm={t("deleteConfirm")}
                    />
                  </div>
                ) : null}
              </>
            )}
          </Section>
        );
      })}
    </div>
  );
}
