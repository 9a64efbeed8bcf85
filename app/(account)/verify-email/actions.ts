"use server";

import { redirect } from "next/navigation";
import { revalidatePath } from "next/cache";
import { defineAction } from "@/lib/auth/action";
import { confirmTokenSchema } from "@/lib/accounts/schemas";
import { verifyEmail } from "@/lib/accounts/verify-email";
import type { Result } from "@/lib/result";

/** Public: the link may be opened in a browser that is not signed in. */
export const verifyEmailAction = defineAction(
  { access: "public", schema: confirmTokenSchema },
  async (input, { actor }): Promise<Result<null>> => {
    const result = await verifyEmail(input.token);
    if (!result.ok) return result;
    // The account layout's "confirm your address" banner goes.
    revalidatePath("/", "layout");
    redirect(actor ? "/account" : "/signin?done=verified");
  },
);
