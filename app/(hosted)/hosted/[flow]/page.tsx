import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { connection } from "next/server";
import { getLocale, getTranslations } from "next-intl/server";
import { now } from "@/lib/clock";
import { getActor } from "@/lib/auth/actor";
import { loadHostedFlow } from "@/lib/hosted/flow";
import { HOSTED_FLOWS } from "@/lib/hosted/schemas";
import { Alert } from "@/components/ui/alert";
import { HostedForm } from "@/components/hosted/hosted-form";
import { completeHostedAction } from "./actions";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("hosted");
  return { title: t("pageTitle"), referrer: "no-referrer" };
}

// A hosted flow: reached with a signed link from the customer's backend, no
// Accord sign-in. The link itself is checked here and again on submit.
export default async function HostedFlowPage({ params, searchParams }: PageProps<"/hosted/[flow]">) {
  await connection();
  const { flow } = await params;
  if (!(HOSTED_FLOWS as readonly string[]).includes(flow)) notFound();
  const token = (await searchParams).token;
  const [t, locale, actor] = await Promise.all([getTranslations("hosted"), getLocale(), getActor()]);
  const view = await loadHostedFlow(typeof token === "string" ? token : "", now(), locale);
  if (view.status !== "ready") {
    return (
      <div className="mx-auto max-w-2xl">
        <Alert tone="error" role="alert" title={t(`${view.status}Title`)}>
          <p>{t(`${view.status}Body`)}</p>
        </Alert>
      </div>
    );
  }
  const values = { host: view.returnHost, number: view.version.number, title: view.version.title };
  // A signed-in reader may link the service's id to their account (lib/service-api/subject-links.ts).
  const account =
    actor?.role === "USER"
      ? view.linkedUserId === actor.id
        ? { email: actor.email, linked: true }
        : view.linkedUserId === null
          ? { email: actor.email, linked: false }
          : null
      : null;
  return (
    <div className="mx-auto max-w-2xl space-y-6">
      <header className="space-y-2">
        <h1 className="text-2xl font-bold text-slate-900">
          {view.flow === "reconsent" ? t("reconsentTitle") : t("preferencesTitle")}
        </h1>
        <p className="text-sm text-slate-700">
          {view.flow === "reconsent" ? t("reconsentIntro", values) : t("preferencesIntro", values)}
        </p>
        {view.flow === "reconsent" && view.version.changeSummary ? (
          <p className="text-sm text-slate-700">
            {t.rich("changeSummary", {
              summary: view.version.changeSummary,
              text: (chunks) => <span lang={view.version.summaryLocale}>{chunks}</span>,
            })}
          </p>
        ) : null}
        <p>
          <a
            href={`/agreement/versions/${view.version.number}`}
            target="_blank"
            rel="noopener"
            className="text-sm text-blue-800 underline"
          >
            {t("readAgreement")}
          </a>
        </p>
      </header>
      <HostedForm
        action={completeHostedAction}
        token={view.token}
        shownSha256={view.version.shownSha256}
        flow={view.flow}
        purposes={view.purposes}
        account={account}
      />
    </div>
  );
}
