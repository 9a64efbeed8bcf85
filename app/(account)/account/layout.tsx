import type { ReactNode } from "react";
import { AccountNav } from "@/components/layout/account-nav";
import { ReconsentBanner } from "@/components/reconsent/reconsent-banner";

export default function AccountLayout({ children }: { children: ReactNode }) {
  return (
    <div className="space-y-6">
      <AccountNav />
      {/* Every account page: the re-consent prompt until the user has answered it. */}
      <ReconsentBanner />
      {children}
    </div>
  );
}
