"use server";

import { revalidatePath } from "next/cache";
import { defineAction } from "@/lib/auth/action";
import { ADMIN_ROLES } from "@/lib/auth/actor";
import { createApiKey, revokeApiKey } from "@/lib/api-keys/api-keys";
import { apiKeyIdSchema, createApiKeySchema } from "@/lib/api-keys/schemas";
import { rotateSigningKeyNow } from "@/lib/tokens/signing-keys";
import { z } from "zod";

const admin = { access: ADMIN_ROLES };

export const createApiKeyAction = defineAction(
  { ...admin, schema: createApiKeySchema },
  async (input, context) => {
    const result = await createApiKey(context, input);
    if (result.ok) revalidatePath("/admin/api-keys");
    return result;
  },
);

export const revokeApiKeyAction = defineAction(
  { ...admin, schema: apiKeyIdSchema },
  async (input, context) => {
    const result = await revokeApiKey(context, input.keyId);
    if (result.ok) revalidatePath("/admin/api-keys");
    return result;
  },
);

export const rotateTokenKeyAction = defineAction(
  { ...admin, schema: z.object({}) },
  async (_input, context) => {
    const result = await rotateSigningKeyNow(context);
    if (result.ok) revalidatePath("/admin/api-keys");
    return result;
  },
);
