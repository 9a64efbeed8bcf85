"use server";

import { redirect } from "next/navigation";
import { defineAction } from "@/lib/auth/action";
import { now } from "@/lib/clock";
import { completeHostedFlow } from "@/lib/hosted/flow";
import { completeHostedSchema } from "@/lib/hosted/schemas";

// Public: the signed link is the credential (no Accord account, no password).
// A signed-in reader may also link the service's id to their account.
export const completeHostedAction = defineAction(
  { access: "public", schema: completeHostedSchema },
  async ({ linkAccount, ...input }, { actor, meta }) => {
    const linkTo = linkAccount && actor?.role === "USER" ? actor : null;
    const result = await completeHostedFlow({ ...input, linkTo, meta, at: now() });
    if (!result.ok) return result;
    redirect(result.data.returnUrl);
  },
);
