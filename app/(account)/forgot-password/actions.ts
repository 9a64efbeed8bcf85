"use server";

import { defineAction } from "@/lib/auth/action";
import { forgotPasswordSchema } from "@/lib/accounts/schemas";
import { requestPasswordReset } from "@/lib/accounts/password-reset";
import { consumeAccountMailRequest } from "@/lib/auth/rate-limit";

export const forgotPasswordAction = defineAction(
  { access: "public", schema: forgotPasswordSchema },
  async (input, { meta }) => {
    const limited = await consumeAccountMailRequest(meta.ip);
    if (limited) return limited;
    return requestPasswordReset(input.email);
  },
);
