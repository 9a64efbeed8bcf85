"use server";

import { redirect } from "next/navigation";
import { defineAction } from "@/lib/auth/action";
import { signUpSchema } from "@/lib/auth/schemas";
import { registerAccount } from "@/lib/accounts/sign-up";
import { consumeSignUp } from "@/lib/auth/rate-limit";
import { resolveLocale } from "@/lib/i18n/request";
import type { Result } from "@/lib/result";

export const signUp = defineAction(
  { access: "public", schema: signUpSchema },
  async (input, { meta }): Promise<Result<null>> => {
    // Each address may create a few accounts an hour (lib/auth/rate-limit.ts).
    const limited = await consumeSignUp(meta.ip);
    if (limited) return limited;
    // The same answer whether or not the email has an account (lib/accounts/sign-up.ts).
    const result = await registerAccount({ ...input, locale: await resolveLocale() });
    if (!result.ok) return result;
    redirect("/signup/check-email");
  },
);
