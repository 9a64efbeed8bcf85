"use server";

import { defineAction } from "@/lib/auth/action";
import { signUpSchema } from "@/lib/auth/schemas";
import { createUser } from "@/lib/users/create-user";
import { resolveLocale } from "@/lib/i18n/request";

export const signUp = defineAction({ access: "public", schema: signUpSchema }, async (input) =>
  createUser({ ...input, locale: await resolveLocale() }),
);
