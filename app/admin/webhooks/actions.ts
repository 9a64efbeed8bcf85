"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { defineAction } from "@/lib/auth/action";
import { ADMIN_ROLES } from "@/lib/auth/actor";
import {
  createWebhookEndpoint,
  deleteWebhookEndpoint,
  replayDelivery,
  sendTestEvent,
  setWebhookEnabled,
} from "@/lib/webhooks/endpoints";
import { createWebhookSchema, setEnabledSchema, webhookIdSchema } from "@/lib/webhooks/schemas";
import { addReturnUrl, removeReturnUrl } from "@/lib/hosted/return-urls";
import { returnUrlSchema } from "@/lib/hosted/schemas";
import { z } from "zod";
import { fieldMessage } from "@/lib/validation/messages";

const admin = { access: ADMIN_ROLES };

export const createWebhookAction = defineAction(
  { ...admin, schema: createWebhookSchema },
  async (input, context) => {
    const result = await createWebhookEndpoint(context, input);
    if (result.ok) revalidatePath("/admin/webhooks");
    return result;
  },
);

export const setWebhookEnabledAction = defineAction(
  { ...admin, schema: setEnabledSchema },
  async (input, context) => {
    const result = await setWebhookEnabled(context, input.endpointId, input.enabled);
    if (result.ok) revalidatePath(`/admin/webhooks/${input.endpointId}`);
    return result;
  },
);

export const sendTestEventAction = defineAction(
  { ...admin, schema: webhookIdSchema },
  async (input, context) => {
    const result = await sendTestEvent(context, input.endpointId);
    if (result.ok) revalidatePath(`/admin/webhooks/${input.endpointId}`);
    return result;
  },
);

export const deleteWebhookAction = defineAction(
  { ...admin, schema: webhookIdSchema },
  async (input, context) => {
    const result = await deleteWebhookEndpoint(context, input.endpointId);
    if (!result.ok) return result;
    revalidatePath("/admin/webhooks");
    redirect("/admin/webhooks");
  },
);

export const replayDeliveryAction = defineAction(
  {
    ...admin,
    schema: z.object({
      endpointId: z.uuid({ error: fieldMessage("unknownWebhook") }),
      deliveryId: z.string().regex(/^\d{1,18}$/, { error: fieldMessage("unknownDelivery") }),
    }),
  },
  async (input, context) => {
    const result = await replayDelivery(context, input.deliveryId, input.endpointId);
    if (result.ok) revalidatePath(`/admin/webhooks/${input.endpointId}`);
    return result;
  },
);

export const addReturnUrlAction = defineAction(
  { ...admin, schema: returnUrlSchema },
  async (input, context) => {
    const result = await addReturnUrl(context, input);
    if (result.ok) revalidatePath("/admin/webhooks");
    return result;
  },
);

export const removeReturnUrlAction = defineAction(
  { ...admin, schema: z.object({ id: z.uuid({ error: fieldMessage("unknownReturnUrl") }) }) },
  async (input, context) => {
    const result = await removeReturnUrl(context, input.id);
    if (result.ok) revalidatePath("/admin/webhooks");
    return result;
  },
);
