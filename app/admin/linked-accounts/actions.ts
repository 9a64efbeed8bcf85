"use server";

import { revalidatePath } from "next/cache";
import { defineAction } from "@/lib/auth/action";
import { ADMIN_ROLES } from "@/lib/auth/actor";
import { linkExternalSubjectByAdmin, unlinkExternalSubject } from "@/lib/service-api/subject-links";
import { linkSubjectSchema, unlinkSubjectSchema } from "@/lib/service-api/subject-link-schemas";

export const linkSubjectAction = defineAction(
  { access: ADMIN_ROLES, schema: linkSubjectSchema },
  async (input, context) => {
    const result = await linkExternalSubjectByAdmin(context, input);
    if (result.ok) revalidatePath("/admin/linked-accounts");
    return result;
  },
);

export const unlinkSubjectAction = defineAction(
  { access: ADMIN_ROLES, schema: unlinkSubjectSchema },
  async (input, context) => {
    const result = await unlinkExternalSubject(context, input.externalId);
    if (result.ok) revalidatePath("/admin/linked-accounts");
    return result;
  },
);
