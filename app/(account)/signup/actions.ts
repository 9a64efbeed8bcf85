"use server";

import { defineAction } from "@/lib/auth/action";
import { signUpSchema } from "@/lib/auth/schemas";
import { createUser } from "@/lib/users/create-user";
import { consumeSignUp } from "@/lib/auth/rate-limit";
import { resolveLocale } from "@/lib/i18n/request";

export const signUp = defineAction({ access: "public", schema: signUpSchema }, async (input, { meta }) => {
  // Each address may create a few accounts an hour (lib/auth/rate-limit.ts).
  const limited = await consumeSignUp(meta.ip);
  if (limited) return limited;
  return createUser({ ...input, locale: await resolveLocale() });
});
