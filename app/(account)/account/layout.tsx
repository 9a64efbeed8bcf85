import type { ReactNode } from "react";
import { AccountNav } from "@/components/layout/account-nav";

export default function AccountLayout({ children }: { children: ReactNode }) {
  return (
    <div className="space-y-6">
      <AccountNav />
      {children}
    </div>
  );
}
