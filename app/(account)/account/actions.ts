"use server";

import { revalidatePath } from "next/cache";
import { defineAction } from "@/lib/auth/action";
import { acceptAgreement } from "@/lib/consent/accept-agreement";
import { acceptAgreementSchema } from "@/lib/consent/schemas";

export const acceptAgreementAction = defineAction(
  { access: "signed-in", schema: acceptAgreementSchema },
  async (input, { actor, meta }) => {
    const result = await acceptAgreement({ ...input, subjectId: actor.id, method: "WEB", meta });
    if (result.ok) revalidatePath("/", "layout");
    return result;
  },
);
