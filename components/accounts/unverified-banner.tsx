import { getTranslations } from "next-intl/server";
import { getActor } from "@/lib/auth/actor";
import { accountEmailStatus } from "@/lib/accounts/verified";
import { Alert } from "@/components/ui/alert";
import { ResendVerification } from "@/components/accounts/resend-verification";
import { resendVerificationAction } from "@/app/(account)/account/settings-actions";

/** On every account page while the address is unconfirmed: why consent is refused, and a new link. */
export async function UnverifiedBanner() {
  const actor = await getActor();
  const status = actor ? await accountEmailStatus(actor.id) : null;
  if (!status || status.confirmed) return null;
  const t = await getTranslations("accounts");
  return (
    <section aria-label={t("unverifiedTitle")} data-testid="unverified-banner">
      <Alert tone="warning" title={t("unverifiedTitle")}>
        <p>{t("unverifiedBody", { email: status.email })}</p>
        <ResendVerification action={resendVerificationAction} />
      </Alert>
    </section>
  );
}
