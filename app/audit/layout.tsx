import type { ReactNode } from "react";
import { AuditNav } from "@/components/audit/audit-nav";

// Every page below checks the actor itself: a layout is not an access check.
export default function AuditLayout({ children }: { children: ReactNode }) {
  return (
    <div className="space-y-6">
      <AuditNav />
      {children}
    </div>
  );
}
