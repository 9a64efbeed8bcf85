import type { Metadata } from "next";
import Link from "next/link";
import { notFound, redirect } from "next/navigation";
import { connection } from "next/server";
import { getTranslations } from "next-intl/server";
import { z } from "zod";
import { ADMIN_ROLES, requirePageActor } from "@/lib/auth/actor";
import { now } from "@/lib/clock";
import { env } from "@/lib/env";
import { isoDate } from "@/lib/format";
import { getPublishedVersion, getVersionForAdmin, getVersionInEffect } from "@/lib/agreements/versions";
import { earliestMaterialDate } from "@/lib/agreements/publish-rules";
import { VersionChanges } from "@/components/agreement/version-changes";
import { PublishForm } from "@/components/admin/publish-form";
import { publishAction } from "../../../actions";

export const metadata: Metadata = { title: "Publish a version" };

/** The admin reviews the diff against the version in effect, then publishes. */
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
  const inEffect = await getVersionInEffect(at);
  const base = inEffect?.number ? await getPublishedVersion(inEffect.number) : null;
  const label = t("diffLabel", { number: base?.number ?? 0 });
  return (
    <div className="space-y-8">
      <p>
        <Link href={`/admin/versions/${id}`} className="text-sm text-brand-700 underline">
          {t("backToDraft")}
        </Link>
      </p>
      <h1 className="text-2xl font-bold text-slate-900">{t("title")}</h1>
      <p className="max-w-3xl text-sm text-slate-700">{t("intro", { number: base?.number ?? 0 })}</p>
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
        today={isoDate(at)}
        earliestMaterial={earliestMaterialDate(at, env.NOTICE_PERIOD_DAYS)}
        noticePeriodDays={env.NOTICE_PERIOD_DAYS}
      />
    </div>
  );
}
