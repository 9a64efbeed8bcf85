"use server";

import { redirect } from "next/navigation";
import { defineAction } from "@/lib/auth/action";
import { resetPasswordSchema } from "@/lib/accounts/schemas";
import { resetPassword } from "@/lib/accounts/password-reset";
import type { Result } from "@/lib/result";

/** Public: the emailed link is the proof. Every session of the account ends. */
export const resetPasswordAction = defineAction(
  { access: "public", schema: resetPasswordSchema },
  async (input): Promise<Result<null>> => {
    const result = await resetPassword(input.token, input.password);
    if (!result.ok) return result;
    redirect("/signin?done=reset");
  },
);
