"use server";

import { redirect } from "next/navigation";
import { revalidatePath } from "next/cache";
import { defineAction } from "@/lib/auth/action";
import { confirmTokenSchema } from "@/lib/accounts/schemas";
import { confirmEmailChange } from "@/lib/accounts/change-email";
import type { Result } from "@/lib/result";

/** Public: the link sent to the new address is the proof, whichever browser opens it. */
export const confirmEmailChangeAction = defineAction(
  { access: "public", schema: confirmTokenSchema },
  async (input, { actor }): Promise<Result<null>> => {
    const result = await confirmEmailChange(input.token);
    if (!result.ok) return result;
    // The header names the account by its address: every layout renders it anew.
    revalidatePath("/", "layout");
    redirect(actor ? "/account?done=email" : "/signin?done=email");
  },
);
