import type { ReactNode } from "react";
import { AccountNav } from "@/components/layout/account-nav";
import { ReconsentBanner } from "@/components/reconsent/reconsent-banner";
import { UnverifiedBanner } from "@/components/accounts/unverified-banner";

export default function AccountLayout({ children }: { children: ReactNode }) {
  return (
    <div className="space-y-6">
      <AccountNav />
      {/* Until the address is confirmed, consent is refused: say why, offer a new link. */}
      <UnverifiedBanner />
      {/* Every account page: the re-consent prompt until the user has answered it. */}
      <ReconsentBanner />
      {children}
    </div>
  );
}
