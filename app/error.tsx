"use client";

// What people see when a page fails (most often: the database is down for a
// moment). The cause stays in the server log, once per outage (lib/db/outage.ts);
// the page names no address and no error, and offers to try again.
import { useTranslations } from "next-intl";
import { Button } from "@/components/ui/button";

export default function ErrorPage({ retry }: { error: unknown; retry: () => void }) {
  const t = useTranslations("errors");
  return (
    <div
      role="alert"
      className="mx-auto max-w-lg rounded-lg bg-white p-8 text-center shadow-sm ring-1 ring-slate-200"
    >
      <h1 className="text-2xl font-bold text-slate-900">{t("unavailableTitle")}</h1>
      <p className="mt-2 text-slate-700">{t("unavailableBody")}</p>
      <Button type="button" className="mt-4" onClick={() => retry()}>
        {t("tryAgain")}
      </Button>
    </div>
  );
}
