import type { Metadata } from "next";
import Link from "next/link";
import { Suspense } from "react";
import { notFound, redirect } from "next/navigation";
import { connection } from "next/server";
import { getTranslations } from "next-intl/server";
import { z } from "zod";
import { ADMIN_ROLES, requirePageActor } from "@/lib/auth/actor";
import { now } from "@/lib/clock";
import { env } from "@/lib/env";
import { getSettings } from "@/lib/settings";
import { dateIn } from "@/lib/settings/calendar";
import { getLatestPublishedVersion, getVersionForAdmin } from "@/lib/agreements/versions";
import { earliestMaterialDate } from "@/lib/agreements/publish-rules";
import { materialPurposeReasons } from "@/lib/agreements/purpose-changes";
import { VersionChanges } from "@/components/agreement/version-changes";
import { PublishForm } from "@/components/admin/publish-form";
import { PublishWarnings } from "@/components/admin/publish-warnings";
import { DraftContentWarnings } from "@/components/admin/draft-content-warnings";
import { countDraftBidiControls } from "@/lib/agreements/content-review";
import { publishAction } from "../../../actions";

export const metadata: Metadata = { title: "Publish a version" };

/**
 * The admin reviews the changes against the latest published version (a
 * scheduled one included: it is what users were last told), sees why the
 * revision must be material if it must, then publishes.
 */
export default async function PublishPage({ params }: PageProps<"/admin/versions/[id]/publish">) {
  await connection();
  const { id } = await params;
  await requirePageActor(`/admin/versions/${id}/publish`, ADMIN_ROLES);
  if (!z.uuid().safeParse(id).success) notFound();
  const draft = await getVersionForAdmin(id);
  if (!draft) notFound();
  if (draft.publishedAt) redirect(`/admin/versions/${id}`);
  const t = await getTranslations("adminVersions.publish");
  const at = now();
  const settings = getSettings();
  // Bidi controls are counted here (a regex pass) for the form's confirmation box; the other
  // checks parse the texts in the render worker and stream in below.
  const [base, bidiControls] = await Promise.all([getLatestPublishedVersion(), countDraftBidiControls(id)]);
  const label = t("diffLabel", { number: base?.number ?? 0 });
  const materialReasons = base
    ? materialPurposeReasons(base.purposes, draft.purposes).map((r) => r.reason)
    : [];
  return (
    <div className="space-y-8">
      <p>
        <Link href={`/admin/versions/${id}`} className="text-sm text-brand-700 underline">
          {t("backToDraft")}
        </Link>
      </p>
      <h1 className="text-2xl font-bold text-slate-900">{t("title")}</h1>
      <p className="max-w-3xl text-sm text-slate-700">{t("intro", { number: base?.number ?? 0 })}</p>
      <PublishWarnings materialReasons={materialReasons} materialTitle={t("mustBeMaterial")} />
      <div className="max-w-3xl">
        <Suspense fallback={null}>
          <DraftContentWarnings versionId={id} />
        </Suspense>
      </div>
      <VersionChanges
        from={base}
        to={draft}
        label={label}
        purposesHeading={t("purposeChanges")}
        textHeading={label}
      />
      <PublishForm
        versionId={id}
        action={publishAction}
        today={dateIn(at, settings.timeZone)}
        timeZone={settings.timeZone}
        earliestMaterial={earliestMaterialDate(at, env.NOTICE_PERIOD_DAYS, settings.timeZone)}
        noticePeriodDays={env.NOTICE_PERIOD_DAYS}
        mustBeMaterial={materialReasons.length > 0}
        bidiControls={bidiControls}
      />
    </div>
  );
}
