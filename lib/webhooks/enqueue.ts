import "server-only";
import { randomUUID } from "node:crypto";
import { now } from "@/lib/clock";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { WebhookEventType } from "@/lib/webhooks/event-types";

type Tx = Pick<Prisma.TransactionClient, "$queryRaw">;

export interface EnqueueOptions {
  /** The Standard Webhooks message id; derive it from what happened (e.g. "msg_" + a request id) so a retry of the caller does not send twice. */
  messageId?: string;
  at?: Date;
}

/**
 * Queues `type` for every active endpoint subscribed to it, inside the
 * caller's transaction (the outbox): it is delivered if and only if the
 * transaction commits. Consent events and publications are queued by
 * triggers (prisma/migrations/*_webhooks); call this for other events, e.g.
 * subject.deregistered from the account-closure path. Returns how many
 * deliveries were queued.
 */
export async function enqueueWebhook(
  tx: Tx,
  type: WebhookEventType,
  data: Prisma.InputJsonObject,
  options: EnqueueOptions = {},
): Promise<number> {
  const messageId = options.messageId ?? `msg_${randomUUID()}`;
  const at = options.at ?? now();
  const rows = await tx.$queryRaw<{ queued: number }[]>`
    SELECT accord_enqueue_webhook(${type}, ${messageId}, ${JSON.stringify(data)}::jsonb, ${at}::timestamptz) AS queued`;
  return rows[0]?.queued ?? 0;
}
