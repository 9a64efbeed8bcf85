"use server";

import { revalidatePath } from "next/cache";
import { defineAction } from "@/lib/auth/action";
import { acceptAgreement } from "@/lib/consent/accept-agreement";
import { acceptAgreementSchema } from "@/lib/consent/schemas";
import { acknowledgeNotice, declineAgreement } from "@/lib/agreements/agreement-responses";
import { versionIdSchema } from "@/lib/agreements/schemas";

export const acceptAgreementAction = defineAction(
  { access: "signed-in", schema: acceptAgreementSchema },
  async (input, { actor, meta }) => {
    const result = await acceptAgreement({ ...input, subjectId: actor.id, method: "WEB", meta });
    if (result.ok) revalidatePath("/", "layout");
    return result;
  },
);

/** An explicit "I do not accept": recorded in the ledger; the page then explains what it means. */
export const declineAgreementAction = defineAction(
  { access: "signed-in", schema: versionIdSchema },
  async (input, { actor, meta }) =>
    declineAgreement({ subjectId: actor.id, versionId: input.versionId, meta }),
);

/** Dismissing a minor-change notice: recorded, so it is not shown again. */
export const acknowledgeNoticeAction = defineAction(
  { access: "signed-in", schema: versionIdSchema },
  async (input, { actor, meta }) => {
    const result = await acknowledgeNotice({ subjectId: actor.id, versionId: input.versionId, meta });
    if (result.ok) revalidatePath("/", "layout");
    return result;
  },
);
