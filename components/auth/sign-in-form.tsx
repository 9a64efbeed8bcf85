"use client";

import { useState, type FormEvent } from "react";
import { useRouter } from "next/navigation";
import { signIn } from "next-auth/react";
import { useTranslations } from "next-intl";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/text-field";
import { Alert } from "@/components/ui/alert";

/** callbackUrl: a checked same-origin path, or null to let the sign-in page send each role home. */
export function SignInForm({ callbackUrl }: { callbackUrl: string | null }) {
  const t = useTranslations("auth");
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setPending(true);
    setError(null);
    const data = new FormData(event.currentTarget);
    const result = await signIn("credentials", {
      email: data.get("email"),
      password: data.get("password"),
      redirect: false,
    });
    setPending(false);
    if (result?.ok && !result.error) {
      // Relative paths only, so the browser stays on the host it used. Without
      // a page to return to, the sign-in page sends each role to its own area.
      router.replace(callbackUrl ?? "/signin");
      router.refresh();
      return;
    }
    const limited = result?.error?.startsWith("RateLimited:");
    const seconds = limited ? Number(result?.error?.split(":")[1]) || 1 : 0;
    // One message for every credential failure: never reveal which part was wrong.
    // "Unavailable": the service could not check (lib/auth/sign-in-errors.ts).
    const unavailable = result?.error === "Unavailable";
    if (unavailable) setError(t("unavailable"));
    else if (!limited) setError(t("badCredentials"));
    // Growing delays start at a second (lib/auth/rate-limit.ts): say seconds while they are short.
    else if (seconds < 60) setError(t("rateLimitedSeconds", { seconds }));
    else setError(t("rateLimited", { minutes: Math.ceil(seconds / 60) }));
  }

  return (
    <form onSubmit={onSubmit} className="mt-6 space-y-4">
      {error ? <Alert tone="error" role="alert" title={error} /> : null}
      <TextField name="email" type="email" label={t("email")} autoComplete="email" required />
      <TextField
        name="password"
        type="password"
        label={t("password")}
        autoComplete="current-password"
        required
      />
      <Button type="submit" disabled={pending} className="w-full">
        {pending ? t("signingIn") : t("signIn")}
      </Button>
    </form>
  );
}
