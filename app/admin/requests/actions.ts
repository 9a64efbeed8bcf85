"use server";

import { revalidatePath } from "next/cache";
import { defineAction } from "@/lib/auth/action";
import { ADMIN_ROLES } from "@/lib/auth/actor";
import { addRequestNote, assignRequest, respondToRequest, startRequest } from "@/lib/rights/desk";
import { assignRequestSchema, requestIdSchema, requestNoteSchema, respondSchema } from "@/lib/rights/schemas";
import type { Result } from "@/lib/result";

const admin = { access: ADMIN_ROLES };

function refresh<T>(requestId: string, result: Result<T>): Result<T> {
  if (result.ok) {
    revalidatePath(`/admin/requests/${requestId}`);
    revalidatePath("/admin/requests");
  }
  return result;
}

export const assignRequestAction = defineAction(
  { ...admin, schema: assignRequestSchema },
  async (input, context) => refresh(input.requestId, await assignRequest(context, input)),
);

export const addRequestNoteAction = defineAction(
  { ...admin, schema: requestNoteSchema },
  async (input, context) => refresh(input.requestId, await addRequestNote(context, input)),
);

export const startRequestAction = defineAction(
  { ...admin, schema: requestIdSchema },
  async (input, context) => refresh(input.requestId, await startRequest(context, input)),
);

export const respondToRequestAction = defineAction(
  { ...admin, schema: respondSchema },
  async (input, context) => refresh(input.requestId, await respondToRequest(context, input)),
);
