import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { connection } from "next/server";
import { getTranslations } from "next-intl/server";
import { getPublishedVersion, getVersionInEffect } from "@/lib/agreements/versions";
import { versionState } from "@/lib/agreements/version-state";
import { now } from "@/lib/clock";
import { AgreementView } from "@/components/agreement/agreement-view";
import { ScheduledNotice } from "@/components/agreement/scheduled-notice";
import { Alert } from "@/components/ui/alert";

export const metadata: Metadata = { title: "Agreement version" };

export default async function VersionPage({
  params,
  searchParams,
}: PageProps<"/agreement/versions/[number]">) {
  await connection();
  const [{ number: raw }, query] = await Promise.all([params, searchParams]);
  const number = /^[1-9]\d{0,8}$/.test(raw) ? Number(raw) : null;
  if (number === null) notFound();
  const at = now();
  const [version, inEffect] = await Promise.all([getPublishedVersion(number), getVersionInEffect(at)]);
  if (!version) notFound();
  const t = await getTranslations("versions");
  const state = versionState(version, inEffect?.id ?? null, at);
  return (
    <div className="space-y-4">
      <p className="flex flex-wrap gap-4 text-sm">
        <Link href="/agreement/versions" className="text-brand-700 underline">
          {t("allVersionsLink")}
        </Link>
        {number > 1 ? (
          <Link href={`/agreement/diff?from=${number - 1}&to=${number}`} className="text-brand-700 underline">
            {t("diffWithPrevious", { from: number - 1, to: number })}
          </Link>
        ) : null}
      </p>
      {state === "scheduled" ? (
        <ScheduledNotice upcoming={version} currentNumber={inEffect?.number ?? null} />
      ) : null}
      {state === "superseded" ? (
        <Alert tone="info" title={t("supersededNotice", { number: inEffect?.number ?? 0 })}>
          <Link href="/agreement" className="underline">
            {t("readCurrent")}
          </Link>
        </Alert>
      ) : null}
      <AgreementView
        {...version}
        text={query.text === "authoritative" ? "authoritative" : "reader"}
        authoritativeHref={`/agreement/versions/${number}?text=authoritative`}
      />
    </div>
  );
}
