// Webhooks against real Postgres and a real local HTTP receiver that checks
// every signature with the standardwebhooks library: deliveries of committed
// changes only, retries after a 500, replays, test events, auto-disable with
// an email to the admins.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { Webhook } from "standardwebhooks";
import { usePrivateAppDatabase } from "@/tests/helpers/private-app-database";
import { createAdminContext } from "@/tests/helpers/admin-context";

interface Received {
  id: string;
  type: string;
  data: Record<string, unknown>;
}

/** A customer's endpoint: verifies, records, and answers `status()` (200 unless told otherwise). */
class Receiver {
  server!: Server;
  url = "";
  secret = "";
  received: Received[] = [];
  refused: string[] = [];
  status: () => number = () => 200;

  async start() {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (chunk: Buffer) => chunks.push(chunk));
      req.on("end", () => {
        const body = Buffer.concat(chunks).toString("utf8");
        try {
          const payload = new Webhook(this.secret).verify(body, req.headers as Record<string, string>) as {
            type: string;
            data: Record<string, unknown>;
          };
          this.received.push({
            id: String(req.headers["webhook-id"]),
            type: payload.type,
            data: payload.data,
          });
          res.writeHead(this.status()).end();
        } catch (error) {
          this.refused.push(String(error));
          res.writeHead(400).end();
        }
      });
    });
    // An ephemeral port: the receiver can never collide with another test's.
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hooks`;
  }
}

let db: Awaited<ReturnType<typeof usePrivateAppDatabase>>;
let lib: typeof import("@/lib/db");
let endpoints: typeof import("./endpoints");
let dispatcher: typeof import("./dispatcher");
let enqueue: typeof import("./enqueue");
let consent: typeof import("@/lib/consent/change-purpose");
let accept: typeof import("@/lib/consent/accept-agreement");
let versions: typeof import("@/lib/agreements/versions");
let admin: import("@/lib/agreements/drafts").AdminContext;
const receiver = new Receiver();
let endpointId = "";

const meta = { ipTruncated: "192.0.2.0", userAgent: "vitest", locale: "en", gpc: false };
let at = new Date();
const clock = () => at;
const fast = { clock, baseDelayMs: 1_000, maxAttempts: 3, disableAfterFailures: 1_000 };

beforeAll(async () => {
  db = await usePrivateAppDatabase();
  [lib, endpoints, dispatcher, enqueue, consent, accept, versions] = await Promise.all([
    import("@/lib/db"),
    import("./endpoints"),
    import("./dispatcher"),
    import("./enqueue"),
    import("@/lib/consent/change-purpose"),
    import("@/lib/consent/accept-agreement"),
    import("@/lib/agreements/versions"),
  ]);
  admin = await createAdminContext({ ipTruncated: "198.51.100.0", userAgent: "vitest" });
  await receiver.start();
  const created = await endpoints.createWebhookEndpoint(admin, {
    url: receiver.url,
    description: "integration receiver",
    eventTypes: ["consent.changed", "agreement.accepted", "subject.deregistered"],
  });
  if (!created.ok) throw new Error(created.message);
  receiver.secret = created.data.secret;
  endpointId = created.data.id;
});

afterAll(async () => {
  receiver.server?.close();
  await db?.release();
});

beforeEach(async () => {
  await dispatcher.drainWebhooks(fast);
  receiver.received = [];
  receiver.refused = [];
  receiver.status = () => 200;
  at = new Date();
});

async function newSubject(): Promise<string> {
  const user = await lib.prisma.user.create({
    data: { email: `hooks-${randomUUID()}@int.accord.test`, passwordHash: "not-a-real-hash" },
  });
  const version = await versions.getVersionInEffect();
  const accepted = await accept.acceptAgreement({
    subjectId: user.id,
    versionId: version!.id,
    shownSha256: version!.bodySha256,
    method: "WEB",
    meta,
  });
  if (!accepted.ok) throw new Error(accepted.message);
  return user.id;
}

const grant = (subjectId: string, action: "grant" | "withdraw" = "grant") =>
  consent.changePurposeConsent({
    subjectId,
    purposeKey: "surveys",
    action,
    method: "API",
    meta,
    idempotencyKey: `api:${randomUUID()}`,
  });

describe("webhook endpoints", () => {
  it("show the secret once, in the Standard Webhooks format, and keep it sealed", async () => {
    expect(receiver.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const row = await lib.prisma.webhookEndpoint.findUniqueOrThrow({ where: { id: endpointId } });
    expect(row.secretSealed).not.toContain(receiver.secret.slice(6));
    expect(row.secretSealed).toMatch(/^v1\./);
    const listed = await endpoints.listWebhookEndpoints();
    expect(JSON.stringify(listed)).not.toContain(receiver.secret.slice(6));
  });

  it("refuse event types the database does not know", async () => {
    await expect(
      lib.pool.query(
        `INSERT INTO webhook_endpoints (id, url, event_types, secret_sealed, created_at)
         VALUES (gen_random_uuid(), 'https://x.example', '{consent.nonsense}', 'x', now())`,
      ),
    ).rejects.toThrow(/webhook_endpoints_event_types_known/);
  });
});

describe("delivery", () => {
  it("delivers a committed consent change, signed, with what changed", async () => {
    const subjectId = await newSubject();
    const changed = await grant(subjectId);
    if (!changed.ok) throw new Error(changed.message);
    const report = await dispatcher.drainWebhooks(fast);
    expect(report.delivered).toBe(2);
    expect(receiver.refused).toEqual([]);
    const types = receiver.received.map((r) => r.type).sort();
    expect(types).toEqual(["agreement.accepted", "consent.changed"]);
    const change = receiver.received.find((r) => r.type === "consent.changed")!;
    expect(change.id).toBe(`msg_${changed.data.event.id}`);
    expect(change.data).toMatchObject({
      eventId: changed.data.event.id,
      subjectId,
      externalId: null,
      action: "PURPOSE_GRANTED",
      purposeKey: "surveys",
      granted: true,
      method: "API",
    });
    const log = await endpoints.listDeliveries(endpointId);
    const entry = log.find((d) => d.messageId === change.id)!;
    expect(entry).toMatchObject({ status: "DELIVERED", attempts: 1, lastStatus: 200 });
    expect(entry.attemptLog).toHaveLength(1);
    expect(entry.attemptLog[0]).toMatchObject({ statusCode: 200, error: null });
  });

  it("never delivers a change whose transaction rolled back", async () => {
    const subjectId = await newSubject();
    await dispatcher.drainWebhooks(fast);
    receiver.received = [];
    // A consent event written and rolled back: the trigger queued a delivery inside the transaction...
    const client = await lib.pool.connect();
    const before = await lib.prisma.consentEvent.findFirstOrThrow({ where: { subjectId } });
    try {
      await client.query("BEGIN");
      await client.query(
        `SELECT * FROM accord_append_consent_event($1::uuid, $2::uuid, 'PURPOSE_GRANTED', $3::uuid, $4, 'surveys',
           $5, 'API', now(), NULL, NULL, NULL, $6, $7, '00000000', NULL)`,
        [
          randomUUID(),
          subjectId,
          before.versionId,
          before.versionNumber,
          before.noticeSha256,
          `api:${randomUUID()}`,
          Buffer.alloc(64).toString("base64"),
        ],
      );
      const inside = await client.query(
        `SELECT count(*)::int AS n FROM webhook_deliveries WHERE payload->'data'->>'subjectId' = $1 AND status = 'PENDING'`,
        [subjectId],
      );
      expect(inside.rows[0].n).toBe(1);
    } finally {
      await client.query("ROLLBACK");
      client.release();
    }
    // ...and one queued by enqueueWebhook in a Prisma transaction that failed.
    await expect(
      lib.prisma.$transaction(async (tx) => {
        expect(await enqueue.enqueueWebhook(tx, "subject.deregistered", { subjectId })).toBe(1);
        throw new Error("closing the account failed");
      }),
    ).rejects.toThrow("closing the account failed");

    const report = await dispatcher.drainWebhooks(fast);
    expect(report.claimed).toBe(0);
    expect(receiver.received).toEqual([]);
  });

  it("delivers subject.deregistered queued by enqueueWebhook once its transaction commits", async () => {
    const subjectId = randomUUID();
    await lib.prisma.$transaction((tx) =>
      enqueue.enqueueWebhook(
        tx,
        "subject.deregistered",
        { subjectId },
        { messageId: `msg_close_${subjectId}` },
      ),
    );
    await dispatcher.drainWebhooks(fast);
    expect(receiver.received).toEqual([
      { id: `msg_close_${subjectId}`, type: "subject.deregistered", data: { subjectId } },
    ]);
  });

  it("retries with backoff after the receiver answers 500, with the same message id", async () => {
    let calls = 0;
    receiver.status = () => (++calls <= 2 ? 500 : 200);
    const subjectId = await newSubject();
    await dispatcher.drainWebhooks(fast);
    const first = receiver.received.find(
      (r) => r.type === "agreement.accepted" && r.data.subjectId === subjectId,
    )!;
    let delivery = (await endpoints.listDeliveries(endpointId)).find((d) => d.messageId === first.id)!;
    expect(delivery).toMatchObject({ status: "PENDING", attempts: 1, lastStatus: 500 });
    // Not due yet: the backoff (1 s, then 2 s) is counted on the dispatcher's clock.
    expect((await dispatcher.drainWebhooks(fast)).claimed).toBe(0);
    at = new Date(at.getTime() + 1_000);
    expect(await dispatcher.drainWebhooks(fast)).toMatchObject({ claimed: 1, retrying: 1 });
    at = new Date(at.getTime() + 2_000);
    expect(await dispatcher.drainWebhooks(fast)).toMatchObject({ claimed: 1, delivered: 1 });
    expect(receiver.received.filter((r) => r.id === first.id)).toHaveLength(3);
    delivery = (await endpoints.listDeliveries(endpointId)).find((d) => d.messageId === first.id)!;
    expect(delivery).toMatchObject({ status: "DELIVERED", attempts: 3, lastStatus: 200 });
    expect(delivery.attemptLog.map((a) => a.statusCode)).toEqual([500, 500, 200]);
  });

  it("gives up after the last attempt; an admin's replay sends it again with the same id", async () => {
    receiver.status = () => 500;
    const subjectId = await newSubject();
    for (let i = 0; i < fast.maxAttempts; i += 1) {
      await dispatcher.drainWebhooks(fast);
      at = new Date(at.getTime() + 60_000);
    }
    const failed = (await endpoints.listDeliveries(endpointId)).find(
      (d) => d.eventType === "agreement.accepted" && d.status === "FAILED",
    )!;
    expect(failed.attempts).toBe(fast.maxAttempts);
    expect(await endpoints.replayDelivery(admin, "999999999")).toMatchObject({ ok: false, status: 404 });

    receiver.status = () => 200;
    receiver.received = [];
    expect(await endpoints.replayDelivery(admin, failed.id)).toMatchObject({ ok: true });
    expect(await endpoints.replayDelivery(admin, failed.id)).toMatchObject({
      ok: false,
      code: "delivery_in_progress",
    });
    await dispatcher.drainWebhooks(fast);
    expect(receiver.received).toEqual([
      expect.objectContaining({
        id: failed.messageId,
        type: "agreement.accepted",
        data: expect.objectContaining({ subjectId }),
      }),
    ]);
    const audit = await lib.prisma.auditLogEntry.findFirst({
      where: { action: "webhook.replayed", targetId: endpointId },
    });
    expect(audit?.details).toMatchObject({ deliveryId: failed.id, messageId: failed.messageId });
  });

  it("sends a test event to the one endpoint asked", async () => {
    const sent = await endpoints.sendTestEvent(admin, endpointId);
    if (!sent.ok) throw new Error(sent.message);
    await dispatcher.drainWebhooks(fast);
    expect(receiver.received).toEqual([
      {
        id: sent.data.messageId,
        type: "webhook.test",
        data: { endpointId, message: "A test event from Accord." },
      },
    ]);
  });

  it("disables an endpoint after repeated failures and emails every admin once", async () => {
    const flaky = new Receiver();
    await flaky.start();
    flaky.status = () => 503;
    const created = await endpoints.createWebhookEndpoint(admin, {
      url: flaky.url,
      description: "",
      eventTypes: ["consent.changed"],
    });
    if (!created.ok) throw new Error(created.message);
    flaky.secret = created.data.secret;
    const subjectId = await newSubject();
    for (let i = 0; i < 3; i += 1) await grant(subjectId, i % 2 ? "withdraw" : "grant");
    const report = await dispatcher.drainWebhooks({ ...fast, disableAfterFailures: 3, concurrency: 3 });
    expect(report.disabled).toBe(1);
    expect(flaky.received).toHaveLength(3);
    const endpoint = await endpoints.getWebhookEndpoint(created.data.id);
    expect(endpoint).toMatchObject({ ok: true, data: { consecutiveFailures: 3 } });
    expect(endpoint.ok && endpoint.data.disabledAt).toBeInstanceOf(Date);
    const mails = await lib.prisma.notification.findMany({ where: { kind: "webhook-disabled" } });
    const admins = await lib.prisma.user.count({ where: { role: "ADMIN", deregisteredAt: null } });
    expect(mails).toHaveLength(admins);
    expect(mails[0]!.payload).toMatchObject({ endpointId: created.data.id, url: flaky.url, failures: 3 });

    // Disabled: nothing new is queued for it, and what was pending waits.
    await grant(subjectId);
    at = new Date(at.getTime() + 3_600_000);
    await dispatcher.drainWebhooks(fast);
    expect(flaky.received).toHaveLength(3);
    const queued = await lib.prisma.webhookDelivery.count({ where: { endpointId: created.data.id } });
    expect(queued).toBe(3);
    // Enabled again: the pending retries go out.
    flaky.status = () => 200;
    expect(await endpoints.setWebhookEnabled(admin, created.data.id, true)).toMatchObject({ ok: true });
    await dispatcher.drainWebhooks(fast);
    expect(flaky.received).toHaveLength(6);
    expect(flaky.refused).toEqual([]);
    flaky.server.close();
  });
});
