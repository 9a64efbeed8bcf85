"use server";

import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { defineAction } from "@/lib/auth/action";
import { changeEmailSchema, changePasswordSchema } from "@/lib/accounts/schemas";
import { requestEmailChange } from "@/lib/accounts/change-email";
import { changePassword } from "@/lib/accounts/change-password";
import { resendVerification } from "@/lib/accounts/verify-email";
import { sessionCookieAfterBump } from "@/lib/auth/keep-session";
import type { Result } from "@/lib/result";

/** Sends a link to the new address; the address changes only when it is followed. */
export const changeEmailAction = defineAction(
  { access: "signed-in", schema: changeEmailSchema },
  async (input, { actor }) =>
    requestEmailChange({ userId: actor.id, newEmail: input.email, currentPassword: input.currentPassword }),
);

/** Ends every other session; this one continues under the new session version. */
export const changePasswordAction = defineAction(
  { access: "signed-in", schema: changePasswordSchema },
  async (input, { actor }): Promise<Result<null>> => {
    const result = await changePassword({ userId: actor.id, ...input });
    if (!result.ok) return result;
    const cookie = await sessionCookieAfterBump((await headers()).get("cookie"), result.data.sessionVersion);
    if (cookie) (await cookies()).set(cookie.name, cookie.value, cookie.options);
    // A new request, so the page is rendered with the new cookie (this one still carries the old).
    redirect("/account?done=password");
  },
);

export const resendVerificationAction = defineAction(
  { access: "signed-in", schema: z.strictObject({}) },
  async (_input, { actor }) => {
    const result = await resendVerification(actor.id);
    if (result.ok) revalidatePath("/account");
    return result;
  },
);
