"use client";

import { useRouter } from "next/navigation";
import { signOut } from "next-auth/react";

export function SignOutButton({ label }: { label: string }) {
  const router = useRouter();
  return (
    <button
      type="button"
      onClick={() =>
        // No redirect from next-auth (it would name APP_URL's host): go home on the host in use.
        void signOut({ redirect: false }).then(() => {
          router.push("/");
          router.refresh();
        })
      }
      className="rounded-md border border-slate-300 px-3 py-1.5 text-slate-700 hover:bg-slate-100"
    >
      {label}
    </button>
  );
}
