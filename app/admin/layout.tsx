import type { ReactNode } from "react";
import { AdminNav } from "@/components/layout/admin-nav";

// Every page below checks the actor itself: a layout is not an access check.
export default function AdminLayout({ children }: { children: ReactNode }) {
  return (
    <div className="space-y-6">
      <AdminNav />
      {children}
    </div>
  );
}
