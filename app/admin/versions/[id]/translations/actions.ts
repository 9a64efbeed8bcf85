"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { defineAction } from "@/lib/auth/action";
import { ADMIN_ROLES } from "@/lib/auth/actor";
import { locales } from "@/lib/i18n/locales";
import { translationFormSchema } from "@/lib/agreements/translation-schemas";
import { deleteDraftTranslation, saveTranslation } from "@/lib/agreements/translation-admin";
import { reviewTranslation } from "@/lib/agreements/content-review";
import { ok } from "@/lib/result";

const admin = { access: ADMIN_ROLES };

export const saveTranslationAction = defineAction(
  { ...admin, schema: translationFormSchema },
  async (input, context) => {
    const result = await saveTranslation(context, input);
    if (!result.ok) return result;
    revalidatePath(`/admin/versions/${input.versionId}/translations`);
    // Checked after the commit, in the render worker: what the text may show wrongly.
    return ok({ ...result.data, review: await reviewTranslation(input.versionId, input) });
  },
);

export const deleteTranslationAction = defineAction(
  { ...admin, schema: z.strictObject({ versionId: z.uuid(), locale: z.enum(locales) }) },
  async (input, context) => {
    const result = await deleteDraftTranslation(context, input.versionId, input.locale);
    if (result.ok) revalidatePath(`/admin/versions/${input.versionId}/translations`);
    return result;
  },
);
