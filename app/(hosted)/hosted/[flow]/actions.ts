"use server";

import { redirect } from "next/navigation";
import { defineAction } from "@/lib/auth/action";
import { now } from "@/lib/clock";
import { completeHostedFlow } from "@/lib/hosted/flow";
import { completeHostedSchema } from "@/lib/hosted/schemas";

// Public: the signed link is the credential (no Accord account, no password).
export const completeHostedAction = defineAction(
  { access: "public", schema: completeHostedSchema },
  async (input, { meta }) => {
    const result = await completeHostedFlow({ ...input, meta, at: now() });
    if (!result.ok) return result;
    redirect(result.data.returnUrl);
  },
);
