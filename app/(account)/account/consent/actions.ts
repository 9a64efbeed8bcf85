"use server";

import { randomUUID } from "node:crypto";
import { revalidatePath } from "next/cache";
import { defineAction } from "@/lib/auth/action";
import { changePurposeConsent } from "@/lib/consent/change-purpose";
import { applyGpcSignal } from "@/lib/consent/gpc";
import { consentChangeFormSchema } from "@/lib/consent/schemas";
import { ok } from "@/lib/result";
import { consumeConsentWrite } from "@/lib/auth/rate-limit";

export const changeConsentAction = defineAction(
  { access: "signed-in", schema: consentChangeFormSchema },
  async ({ idempotencyKey, ...input }, { actor, meta }) => {
    const limited = await consumeConsentWrite(actor.id);
    if (limited) return limited;
    // Apply a GPC signal first, so a grant of sharing made now counts as made after being told.
    await applyGpcSignal(actor.id, meta);
    const result = await changePurposeConsent({
      ...input,
      subjectId: actor.id,
      method: "WEB",
      meta,
      idempotencyKey: `web:${idempotencyKey ?? randomUUID()}`,
    });
    if (!result.ok) return result;
    revalidatePath("/account", "layout");
    return ok({ event: result.data.event, purpose: result.data.purpose });
  },
);
