import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { Alert } from "@/components/ui/alert";

/** What a used, expired or replaced link shows: one message for all of them. */
export async function InvalidLink({ againHref }: { againHref: string }) {
  const t = await getTranslations("accounts");
  return (
    <div className="mt-6">
      <Alert tone="error" role="alert" title={t("linkInvalidTitle")}>
        <p>{t("linkInvalidBody")}</p>
        <p className="mt-2">
          <Link href={againHref} className="font-medium underline">
            {t("askAgain")}
          </Link>
        </p>
      </Alert>
    </div>
  );
}
