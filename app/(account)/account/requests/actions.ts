"use server";

import { redirect } from "next/navigation";
import { defineAction } from "@/lib/auth/action";
import { openRightsRequest } from "@/lib/rights/requests";
import { openRequestSchema } from "@/lib/rights/schemas";

export const openRequestAction = defineAction(
  { access: "signed-in", schema: openRequestSchema },
  async (input, context) => {
    const result = await openRightsRequest(context, input);
    if (!result.ok) return result;
    redirect(`/account/requests/${result.data.reference}?opened=1`);
  },
);
