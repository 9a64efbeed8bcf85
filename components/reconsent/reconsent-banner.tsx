import { getLocale } from "next-intl/server";
import { getActor } from "@/lib/auth/actor";
import { getSettings } from "@/lib/settings";
import { shownTitleAndHash } from "@/lib/agreements/translations";
import { getReconsentStatus } from "@/lib/agreements/reconsent";
import { getUpcomingVersion, getVersionInEffect } from "@/lib/agreements/versions";
import { ScheduledNotice } from "@/components/agreement/scheduled-notice";
import { ReconsentPanel, type PanelStatus } from "@/components/reconsent/reconsent-panel";
import {
  acceptAgreementAction,
  acknowledgeNoticeAction,
  declineAgreementAction,
} from "@/app/(account)/account/actions";

/**
 * Seed §7: prompt prominently before a material revision takes effect, and
 * ask for acceptance once it has. Signed-in users get their own status;
 * anonymous visitors (with `publicNotice`) see that a change is scheduled.
 */
export async function ReconsentBanner({ publicNotice = false }: { publicNotice?: boolean }) {
  const actor = await getActor();
  if (!actor) {
    if (!publicNotice) return null;
    const [upcoming, current] = await Promise.all([getUpcomingVersion(), getVersionInEffect()]);
    return upcoming ? <ScheduledNotice upcoming={upcoming} currentNumber={current?.number ?? null} /> : null;
  }
  const status = await getReconsentStatus(actor.id);
  const panel: PanelStatus =
    status.kind === "none"
      ? { kind: "none", version: null, acceptedNumber: null }
      : {
          kind: status.kind,
          // The title and text hash of the version in the reader's language: accepting records what they read.
          version: await shownTitleAndHash(status.version, await getLocale()),
          acceptedNumber: status.acceptedNumber,
        };
  return (
    <ReconsentPanel
      status={panel}
      accept={acceptAgreementAction}
      decline={declineAgreementAction}
      acknowledge={acknowledgeNoticeAction}
      timeZone={getSettings().timeZone}
    />
  );
}
