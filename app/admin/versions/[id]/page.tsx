import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { connection } from "next/server";
import { getLocale, getTranslations } from "next-intl/server";
import { failureMessage } from "@/lib/i18n/server-errors";
import { defaultLocale, isLocale } from "@/lib/i18n/locales";
import { z } from "zod";
import { ADMIN_ROLES, requirePageActor } from "@/lib/auth/actor";
import { now } from "@/lib/clock";
import { getVersionForAdmin, getVersionInEffect } from "@/lib/agreements/versions";
import { versionState } from "@/lib/agreements/version-state";
import { renderMarkdown } from "@/lib/agreements/render/pool";
import { listFailures, listNotificationRuns } from "@/lib/notifications/runs";
import { formatDate, formatDateTime } from "@/lib/format";
import { getSettings } from "@/lib/settings";
import { Alert } from "@/components/ui/alert";
import { StateBadge } from "@/components/admin/state-badge";
import { DraftEditor } from "@/components/admin/draft-editor";
import { PurposeEditor } from "@/components/admin/purpose-editor";
import { AddPurposeForm } from "@/components/admin/add-purpose-form";
import { ActionForm } from "@/components/admin/action-form";
import { NotificationRuns } from "@/components/admin/notification-runs";
import { AgreementView } from "@/components/agreement/agreement-view";
import { Section } from "@/components/ui/section";
import {
  addPurposeAction,
  deleteDraftAction,
  previewMarkdownAction,
  retirePurposeAction,
  saveDraftAction,
  updatePurposeAction,
} from "../../actions";

export const metadata: Metadata = { title: "Agreement version" };

export default async function AdminVersionPage({ params, searchParams }: PageProps<"/admin/versions/[id]">) {
  await connection();
  const { id } = await params;
  await requirePageActor(`/admin/versions/${id}`, ADMIN_ROLES);
  if (!z.uuid().safeParse(id).success) notFound();
  const [version, inEffect, query] = await Promise.all([
    getVersionForAdmin(id),
    getVersionInEffect(),
    searchParams,
  ]);
  if (!version) notFound();
  const [t, locale] = await Promise.all([getTranslations("adminVersions"), getLocale()]);
  const { timeZone } = getSettings();
  const state = versionState(version, inEffect?.id ?? null, now());
  const back = (
    <p className="flex flex-wrap gap-4 text-sm">
      <Link href="/admin" className="text-brand-700 underline">
        {t("back")}
      </Link>
      <Link href={`/admin/versions/${version.id}/translations`} className="text-brand-700 underline">
        {t("translationsLink")}
      </Link>
    </p>
  );

  if (state !== "draft") {
    const runs = await listNotificationRuns({ versionId: version.id });
    const failed = runs[0] && runs[0].failed > 0 ? await listFailures(runs[0].id) : [];
    return (
      <div className="space-y-6">
        {back}
        {query.published ? (
          <Alert tone="success" role="status" title={t("publishedNotice", { number: version.number ?? 0 })}>
            {version.material
              ? t("publishedMaterial", { when: formatDate(version.effectiveAt, locale, timeZone) })
              : null}
          </Alert>
        ) : null}
        <div className="flex flex-wrap items-center gap-3">
          <StateBadge state={state} />
          <span className="text-sm text-slate-700">
            {t("publishedOn", { when: formatDateTime(version.publishedAt, locale) })} ·{" "}
            {version.material ? t("materialYes") : t("materialNo")}
          </span>
        </div>
        <Alert tone="info" title={t("immutable")} />
        {version.changeSummary ? (
          <section aria-labelledby="summary-heading">
            <h2 id="summary-heading" className="font-semibold text-slate-900">
              {t("summaryHeading")}
            </h2>
            <p className="mt-1 whitespace-pre-line text-slate-800">{version.changeSummary}</p>
          </section>
        ) : null}
        {version.material ? (
          <Section id="delivery" title={t("runs.heading")}>
            <NotificationRuns runs={runs} />
            {failed.length > 0 ? (
              <ul className="space-y-1 text-sm text-red-900">
                {failed.map((f) => (
                  <li key={String(f.id)}>
                    {f.email}: {f.lastError} ({t("runs.attempts", { count: f.attempts })})
                  </li>
                ))}
              </ul>
            ) : null}
          </Section>
        ) : null}
        <AgreementView {...version} />
      </div>
    );
  }

  // In the render worker, within its limits: a pathological draft gets its error, not a frozen server.
  const rendered = await renderMarkdown(version.bodyMarkdown, { markBidiControls: true });
  const html = rendered.ok ? rendered.value.html : "";
  return (
    <div className="space-y-8">
      {back}
      <header className="flex flex-wrap items-center justify-between gap-4">
        <div className="flex items-center gap-3">
          <h1 className="text-2xl font-bold text-slate-900">{t("draftTitle")}</h1>
          <StateBadge state="draft" />
        </div>
        <Link
          href={`/admin/versions/${version.id}/publish`}
          className="rounded-md bg-brand-700 px-4 py-2 text-sm font-medium text-white hover:bg-brand-900"
        >
          {t("reviewAndPublish")}
        </Link>
      </header>
      {rendered.ok ? null : (
        <Alert
          tone="error"
          title={failureMessage(
            { ...rendered.error, code: `render_${rendered.error.code}` },
            isLocale(locale) ? locale : defaultLocale,
          )}
        />
      )}
      <DraftEditor
        versionId={version.id}
        title={version.title}
        bodyMarkdown={version.bodyMarkdown}
        initialPreviewHtml={html}
        save={saveDraftAction}
        preview={previewMarkdownAction}
      />
      <Section id="purposes" className="space-y-4" title={t("purposes.heading")}>
        <p className="text-sm text-slate-700">{t("purposes.intro")}</p>
        <ul className="grid gap-4 lg:grid-cols-2">
          {version.purposes.map((purpose) => (
            <PurposeEditor
              key={purpose.id}
              versionId={version.id}
              purpose={purpose}
              update={updatePurposeAction}
              retire={retirePurposeAction}
            />
          ))}
        </ul>
        <AddPurposeForm versionId={version.id} action={addPurposeAction} />
      </Section>
      <Section id="danger" className="space-y-3 border-t border-slate-200 pt-6" title={t("deleteHeading")}>
        <ActionForm
          action={deleteDraftAction}
          fields={{ versionId: version.id }}
          label={t("deleteDraft")}
          pendingLabel={t("deleting")}
          variant="danger"
          confirm={t("deleteConfirm")}
        />
      </Section>
    </div>
  );
}
