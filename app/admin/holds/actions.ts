"use server";

import { revalidatePath } from "next/cache";
import { defineAction } from "@/lib/auth/action";
import { ADMIN_ROLES } from "@/lib/auth/actor";
import { placeLegalHold, releaseLegalHold } from "@/lib/rights/holds";
import { placeHoldSchema, releaseHoldSchema } from "@/lib/rights/schemas";

export const placeHoldAction = defineAction(
  { access: ADMIN_ROLES, schema: placeHoldSchema },
  async (input, context) => {
    const result = await placeLegalHold(context, input);
    if (result.ok) revalidatePath("/admin/holds");
    return result;
  },
);

export const releaseHoldAction = defineAction(
  { access: ADMIN_ROLES, schema: releaseHoldSchema },
  async (input, context) => {
    const result = await releaseLegalHold(context, input.holdId);
    if (result.ok) revalidatePath("/admin/holds");
    return result;
  },
);
