import type { Metadata } from "next";
import { connection } from "next/server";
import { getLocale, getTranslations } from "next-intl/server";
import { ADMIN_ROLES, requirePageActor } from "@/lib/auth/actor";
import { listLegalHolds } from "@/lib/rights/holds";
import { formatDateTime } from "@/lib/format";
import { ActionForm } from "@/components/admin/action-form";
import { HoldForm } from "@/components/rights/hold-form";
import { SubjectLabel } from "@/components/rights/subject-label";
import { Section } from "@/components/ui/section";
import { Table } from "@/components/ui/table";
import { placeHoldAction, releaseHoldAction } from "./actions";

export const metadata: Metadata = { title: "Legal holds" };

/** Legal holds (agreement §2.2): subjects the retention purge must leave alone. */
export default async function HoldsPage() {
  await connection();
  await requirePageActor("/admin/holds", ADMIN_ROLES);
  const [t, holds] = await Promise.all([getTranslations("holds"), listLegalHolds()]);
  const locale = await getLocale();
  return (
    <div className="space-y-8">
      <header>
        <h1 className="text-2xl font-bold text-slate-900">{t("title")}</h1>
        <p className="mt-1 max-w-3xl text-sm text-slate-700">{t("intro")}</p>
      </header>
      <Section id="place" title={t("formHeading")} className="max-w-2xl space-y-3">
        <HoldForm action={placeHoldAction} />
      </Section>
      <Section id="holds" title={t("listHeading")}>
        {holds.length === 0 ? (
          <p className="text-sm text-slate-700">{t("none")}</p>
        ) : (
          <Table
            caption={t("listHeading")}
            columns={[t("subject"), t("basis"), t("reason"), t("placedAt"), t("status")]}
            testId="holds-table"
          >
            {holds.map((hold) => (
              <tr key={hold.id} className="align-top">
                <td className="px-4 py-2">
                  <SubjectLabel
                    subject={{ ...hold.subject, email: hold.subject.erasedAt ? null : hold.subject.email }}
                  />
                </td>
                <td className="px-4 py-2">{t(`bases.${hold.basis}`)}</td>
                <td className="max-w-sm px-4 py-2 whitespace-pre-line">{hold.reason}</td>
                <td className="px-4 py-2 whitespace-nowrap">{formatDateTime(hold.placedAt, locale)}</td>
                <td className="px-4 py-2">
                  {hold.releasedAt ? (
                    t("releasedAt", { when: formatDateTime(hold.releasedAt, locale) })
                  ) : (
                    <ActionForm
                      action={releaseHoldAction}
                      fields={{ holdId: hold.id }}
                      label={t("release")}
                      pendingLabel={t("releasing")}
                      variant="secondary"
                      confirm={t("releaseConfirm")}
                    >
                      <p className="font-medium text-amber-900">{t("active")}</p>
                    </ActionForm>
                  )}
                </td>
              </tr>
            ))}
          </Table>
        )}
      </Section>
    </div>
  );
}
