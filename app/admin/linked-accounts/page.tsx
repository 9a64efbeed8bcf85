import type { Metadata } from "next";
import { connection } from "next/server";
import { getLocale, getTranslations } from "next-intl/server";
import { ADMIN_ROLES, requirePageActor } from "@/lib/auth/actor";
import { listLinkedSubjects } from "@/lib/service-api/subject-links";
import { formatDateTime } from "@/lib/format";
import { ActionForm } from "@/components/admin/action-form";
import { LinkForm } from "@/components/linked-accounts/link-form";
import { Section } from "@/components/ui/section";
import { Table } from "@/components/ui/table";
import { linkSubjectAction, unlinkSubjectAction } from "./actions";

export const metadata: Metadata = { title: "Linked accounts" };

/** Services' ids linked to Accord accounts (docs/integration.md, "Linked accounts"). */
export default async function LinkedAccountsPage() {
  await connection();
  await requirePageActor("/admin/linked-accounts", ADMIN_ROLES);
  const [t, links, locale] = await Promise.all([
    getTranslations("linkedAccounts"),
    listLinkedSubjects(),
    getLocale(),
  ]);
  return (
    <div className="space-y-8">
      <header>
        <h1 className="text-2xl font-bold text-slate-900">{t("title")}</h1>
        <p className="mt-1 max-w-3xl text-sm text-slate-700">{t("intro")}</p>
      </header>
      <Section id="link" title={t("formHeading")} className="max-w-2xl space-y-3">
        <LinkForm action={linkSubjectAction} />
      </Section>
      <Section id="links" title={t("listHeading")}>
        {links.length === 0 ? (
          <p className="text-sm text-slate-700">{t("none")}</p>
        ) : (
          <Table
            caption={t("listHeading")}
            columns={[t("externalId"), t("account"), t("since"), t("actionsColumn")]}
            testId="linked-accounts-table"
          >
            {links.map((link) => (
              <tr key={link.externalId} className="align-top">
                <td className="px-4 py-2 font-mono">{link.externalId}</td>
                <td className="px-4 py-2">{link.email}</td>
                <td className="px-4 py-2 whitespace-nowrap">{formatDateTime(link.createdAt, locale)}</td>
                <td className="px-4 py-2">
                  <ActionForm
                    action={unlinkSubjectAction}
                    fields={{ externalId: link.externalId }}
                    label={t("unlink")}
                    pendingLabel={t("unlinking")}
                    variant="secondary"
                    confirm={t("unlinkConfirm")}
                  />
                </td>
              </tr>
            ))}
          </Table>
        )}
      </Section>
    </div>
  );
}
