import { getTranslations, getLocale } from "next-intl/server";
import { formatDate } from "@/lib/format";

interface Subject {
  id: string;
  email: string | null;
  deregisteredAt: Date | null;
}

/** Who a request is about: the email while the account holds one, otherwise the pseudonymous id. */
export async function SubjectLabel({ subject }: { subject: Subject }) {
  const t = await getTranslations("desk");
  const locale = await getLocale();
  return (
    <span className="break-all">
      {subject.email ?? t("erasedSubject", { id: subject.id.slice(0, 8) })}
      {subject.deregisteredAt ? (
        <span className="block text-xs text-slate-600">
          {t("closedAccount", { when: formatDate(subject.deregisteredAt, locale) })}
        </span>
      ) : null}
    </span>
  );
}
