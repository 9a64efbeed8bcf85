import "server-only";
import { randomUUID } from "node:crypto";
import { prisma } from "@/lib/db";
import { now } from "@/lib/clock";
import { appSealer } from "@/lib/secrets/app-sealer";
import { recordAudit, type AuditEntry } from "@/lib/audit-log/record-audit";
import { fail, ok, type Result } from "@/lib/result";
import { mintWebhookSecret, secretContext } from "@/lib/webhooks/secret";
import { TEST_EVENT_TYPE, type WebhookEventType } from "@/lib/webhooks/event-types";
import type { CreateWebhookInput } from "@/lib/webhooks/schemas";

/** Who manages endpoints: an admin (actor) or a service's key with webhooks:manage (apiKey). */
export interface WebhookManagerContext {
  actor: AuditEntry["actor"];
  meta: AuditEntry["meta"];
  apiKey?: { id: string; name: string };
}

export interface WebhookEndpointSummary {
  id: string;
  url: string;
  description: string;
  eventTypes: WebhookEventType[];
  consecutiveFailures: number;
  disabledAt: Date | null;
  disabledReason: string | null;
  createdAt: Date;
}

export interface CreatedWebhookEndpoint extends WebhookEndpointSummary {
  /** The signing secret. It exists only in this answer: the database keeps it sealed. */
  secret: string;
}

const SUMMARY = {
  id: true,
  url: true,
  description: true,
  eventTypes: true,
  consecutiveFailures: true,
  disabledAt: true,
  disabledReason: true,
  createdAt: true,
} as const;

type SummaryRow = Omit<WebhookEndpointSummary, "eventTypes"> & { eventTypes: string[] };

function toSummary(row: SummaryRow): WebhookEndpointSummary {
  return { ...row, eventTypes: row.eventTypes as WebhookEventType[] };
}

function audit(context: WebhookManagerContext, action: string, targetId: string, details: object) {
  return {
    actor: context.actor,
    meta: context.meta,
    action,
    targetType: "webhook_endpoint",
    targetId,
    details: { ...details, ...(context.apiKey ? { apiKeyId: context.apiKey.id } : {}) },
  };
}

/** Registers an endpoint; its secret is shown once. Audited in the same transaction. */
export async function createWebhookEndpoint(
  context: WebhookManagerContext,
  input: CreateWebhookInput,
): Promise<Result<CreatedWebhookEndpoint>> {
  const id = randomUUID();
  const secret = mintWebhookSecret();
  const created = await prisma.$transaction(async (tx) => {
    const row = await tx.webhookEndpoint.create({
      data: {
        id,
        url: input.url,
        description: input.description,
        eventTypes: input.eventTypes,
        secretSealed: appSealer().seal(secret, secretContext(id)),
        createdAt: now(),
        createdById: context.actor?.id ?? null,
        createdByKeyId: context.apiKey?.id ?? null,
      },
      select: SUMMARY,
    });
    await recordAudit(
      audit(context, "webhook.created", id, { url: row.url, eventTypes: input.eventTypes }),
      tx,
    );
    return row;
  });
  return ok({ ...toSummary(created), secret });
}

export async function listWebhookEndpoints(): Promise<WebhookEndpointSummary[]> {
  const rows = await prisma.webhookEndpoint.findMany({
    orderBy: [{ createdAt: "desc" }, { id: "asc" }],
    select: SUMMARY,
  });
  return rows.map(toSummary);
}

export async function getWebhookEndpoint(endpointId: string): Promise<Result<WebhookEndpointSummary>> {
  const row = await prisma.webhookEndpoint.findUnique({ where: { id: endpointId }, select: SUMMARY });
  return row ? ok(toSummary(row)) : fail(404, "unknown_webhook", "There is no such webhook endpoint.");
}

/**
 * Turns an endpoint on or off. Turning it on clears the failure count, so
 * deliveries still pending (kept while it was off) go out again.
 */
export async function setWebhookEnabled(
  context: WebhookManagerContext,
  endpointId: string,
  enabled: boolean,
): Promise<Result<WebhookEndpointSummary>> {
  return prisma.$transaction(async (tx) => {
    const at = now();
    const { count } = await tx.webhookEndpoint.updateMany({
      where: { id: endpointId, disabledAt: enabled ? { not: null } : null },
      data: enabled
        ? { disabledAt: null, disabledReason: null, consecutiveFailures: 0 }
        : { disabledAt: at, disabledReason: "Disabled by hand." },
    });
    const row = await tx.webhookEndpoint.findUnique({ where: { id: endpointId }, select: SUMMARY });
    if (!row) return fail(404, "unknown_webhook", "There is no such webhook endpoint.");
    if (count === 0)
      return fail(
        409,
        enabled ? "already_enabled" : "already_disabled",
        enabled ? "This endpoint is already enabled." : "This endpoint is already disabled.",
      );
    await recordAudit(audit(context, enabled ? "webhook.enabled" : "webhook.disabled", row.id, {}), tx);
    return ok(toSummary(row));
  });
}

/** Removes an endpoint and its delivery log. */
export async function deleteWebhookEndpoint(
  context: WebhookManagerContext,
  endpointId: string,
): Promise<Result<{ id: string }>> {
  return prisma.$transaction(async (tx) => {
    const { count } = await tx.webhookEndpoint.deleteMany({ where: { id: endpointId } });
    if (count === 0) return fail(404, "unknown_webhook", "There is no such webhook endpoint.");
    await recordAudit(audit(context, "webhook.deleted", endpointId, {}), tx);
    return ok({ id: endpointId });
  });
}

/** Queues a "webhook.test" message for one endpoint; the dispatcher sends it at once. */
export async function sendTestEvent(
  context: WebhookManagerContext,
  endpointId: string,
): Promise<Result<{ deliveryId: string; messageId: string }>> {
  return prisma.$transaction(async (tx) => {
    const endpoint = await tx.webhookEndpoint.findUnique({
      where: { id: endpointId },
      select: { id: true, disabledAt: true },
    });
    if (!endpoint) return fail(404, "unknown_webhook", "There is no such webhook endpoint.");
    if (endpoint.disabledAt)
      return fail(409, "webhook_disabled", "Enable this endpoint before sending it a test event.");
    const at = now();
    const messageId = `msg_${randomUUID()}`;
    const delivery = await tx.webhookDelivery.create({
      data: {
        endpointId,
        messageId,
        eventType: TEST_EVENT_TYPE,
        payload: {
          type: TEST_EVENT_TYPE,
          timestamp: at.toISOString(),
          data: { endpointId, message: "A test event from Accord." },
        },
        nextAttemptAt: at,
        createdAt: at,
      },
      select: { id: true },
    });
    await tx.$executeRaw`SELECT pg_notify('accord_webhooks', '')`;
    await recordAudit(audit(context, "webhook.test_sent", endpointId, { messageId }), tx);
    return ok({ deliveryId: delivery.id.toString(), messageId });
  });
}

/**
 * Sends a delivery again, with the same message id (receivers deduplicate on
 * it), as a fresh series of attempts. A delivery still pending or being sent
 * is refused: it is going out anyway.
 */
export async function replayDelivery(
  context: WebhookManagerContext,
  deliveryId: string,
  /** When given, the delivery must belong to this endpoint. */
  endpointId?: string,
): Promise<Result<{ deliveryId: string }>> {
  return prisma.$transaction(async (tx) => {
    const at = now();
    const id = BigInt(deliveryId);
    const { count } = await tx.webhookDelivery.updateMany({
      where: { id, endpointId, status: { in: ["DELIVERED", "FAILED"] } },
      data: { status: "PENDING", attempts: 0, nextAttemptAt: at, lockedAt: null },
    });
    const row = await tx.webhookDelivery.findFirst({
      where: { id, endpointId },
      select: { endpointId: true, messageId: true },
    });
    if (!row) return fail(404, "unknown_delivery", "There is no such delivery.");
    if (count === 0)
      return fail(409, "delivery_in_progress", "This delivery has not finished yet; it will be sent anyway.");
    await tx.$executeRaw`SELECT pg_notify('accord_webhooks', '')`;
    await recordAudit(
      audit(context, "webhook.replayed", row.endpointId, { deliveryId, messageId: row.messageId }),
      tx,
    );
    return ok({ deliveryId });
  });
}

export interface DeliveryLogEntry {
  id: string;
  messageId: string;
  eventType: string;
  status: "PENDING" | "SENDING" | "DELIVERED" | "FAILED";
  attempts: number;
  nextAttemptAt: Date;
  lastStatus: number | null;
  lastError: string | null;
  deliveredAt: Date | null;
  createdAt: Date;
  attemptLog: { attemptedAt: Date; statusCode: number | null; durationMs: number; error: string | null }[];
}

/** An endpoint's latest deliveries, each with its attempts: the delivery log. */
export async function listDeliveries(endpointId: string, limit = 50): Promise<DeliveryLogEntry[]> {
  const rows = await prisma.webhookDelivery.findMany({
    where: { endpointId },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: limit,
    select: {
      id: true,
      messageId: true,
      eventType: true,
      status: true,
      attempts: true,
      nextAttemptAt: true,
      lastStatus: true,
      lastError: true,
      deliveredAt: true,
      createdAt: true,
      attemptLog: {
        orderBy: { attemptedAt: "asc" },
        select: { attemptedAt: true, statusCode: true, durationMs: true, error: true },
      },
    },
  });
  return rows.map((row) => ({ ...row, id: row.id.toString() }));
}
