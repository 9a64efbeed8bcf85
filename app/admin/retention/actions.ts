"use server";

import { revalidatePath } from "next/cache";
import { defineAction } from "@/lib/auth/action";
import { ADMIN_ROLES } from "@/lib/auth/actor";
import { updateRightsPolicy } from "@/lib/rights/policy";
import { rightsPolicySchema } from "@/lib/rights/schemas";

export const updateRightsPolicyAction = defineAction(
  { access: ADMIN_ROLES, schema: rightsPolicySchema },
  async (input, context) => {
    const result = await updateRightsPolicy(context, input);
    if (result.ok) revalidatePath("/admin/retention");
    return result;
  },
);
