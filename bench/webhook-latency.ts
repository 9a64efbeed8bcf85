// Webhook delivery latency, commit to receiver (issue 12: p99 ≤ 1 s at 200 changes/s).
//
//   npx tsx --conditions=react-server bench/webhook-latency.ts [--rate 200] [--seconds 15] [--port 4151]
//
// A fresh database, one endpoint subscribed to consent.changed, and a local
// receiver that verifies every signature with the standardwebhooks library.
// Consent changes are written at a fixed rate through the app's own service
// (changePurposeConsent: ledger append, projection, the outbox trigger); the
// dispatcher runs in the same process as in `npm start` (LISTEN/NOTIFY).
// Latency = receipt time − the moment the writing call returned (its commit).
//
// Baseline, same run: the same writes with the POST made by the writer itself
// right after its commit (a synchronous webhook with no outbox), whose latency
// is the floor any outbox can approach. Prints both, and the ratio of p99s.
import { spawn } from "node:child_process";
import { createServer } from "node:http";
import { randomBytes, randomUUID } from "node:crypto";
import { createTestDatabase } from "../tests/helpers/test-database";
import { seed } from "../prisma/seed";
import { generateSignerKey } from "../lib/ledger/note";

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? Number(args[at + 1]) : fallback;
};
const RATE = option("rate", 200);
const SECONDS = option("seconds", 15);
const PORT = option("port", 4151);
const SUBJECTS = 400;

const database = await createTestDatabase();
await seed(database.url, { demoAccounts: false });
Object.assign(process.env, {
  DATABASE_URL: database.runtimeUrl,
  DATABASE_POOL_SIZE: "20",
  NEXTAUTH_SECRET: randomBytes(32).toString("hex"),
  LEDGER_SIGNING_KEY: generateSignerKey("bench.accord/consent-log"),
  APP_URL: "http://127.0.0.1:3000",
});
const { Webhook } = await import("standardwebhooks");
const { prisma, pool } = await import("@/lib/db");
const { getVersionInEffect } = await import("@/lib/agreements/versions");
const { acceptAgreement } = await import("@/lib/consent/accept-agreement");
const { changePurposeConsent } = await import("@/lib/consent/change-purpose");
const { createWebhookEndpoint } = await import("@/lib/webhooks/endpoints");
const { runDispatcherLoop } = await import("@/lib/webhooks/dispatcher");

const meta = { ipTruncated: "192.0.2.0", userAgent: "bench", locale: "en", gpc: false };
const committedAt = new Map<string, number>();
const receivedAt = new Map<string, number>();
/** Commit to receipt per delivered event; one that arrived before its writer saw the commit counts as 0. */
const latencies = () =>
  [...committedAt].flatMap(([eventId, committed]) => {
    const received = receivedAt.get(eventId);
    return received === undefined ? [] : [Math.max(0, received - committed)];
  });
let verifier: InstanceType<typeof Webhook> | null = null;
let refused = 0;

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", () => {
    const received = performance.now();
    const body = Buffer.concat(chunks).toString("utf8");
    try {
      const payload = (
        verifier ? verifier.verify(body, req.headers as Record<string, string>) : JSON.parse(body)
      ) as {
        data: { eventId: string };
      };
      // Kept by event id: a delivery can arrive before the writer's promise has
      // seen its own commit (the dispatcher is that fast), and still counts.
      receivedAt.set(payload.data.eventId, received);
      res.writeHead(204).end();
    } catch {
      refused += 1;
      res.writeHead(400).end();
    }
  });
});
await new Promise<void>((resolve) => server.listen(PORT, "127.0.0.1", resolve));
const receiverUrl = `http://127.0.0.1:${PORT}/hooks`;

// Subjects who accepted the agreement, so each can grant and withdraw.
const version = (await getVersionInEffect())!;
const subjects: string[] = [];
for (let i = 0; i < SUBJECTS; i += 1) {
  const user = await prisma.user.create({
    data: { email: `b${i}-${randomUUID()}@bench.test`, passwordHash: "x" },
  });
  await acceptAgreement({
    subjectId: user.id,
    versionId: version.id,
    shownSha256: version.bodySha256,
    method: "WEB",
    meta,
  });
  subjects.push(user.id);
}
const purpose = "surveys";
const granted = new Map<string, boolean>();

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

/** Writes RATE changes a second for SECONDS; `after` runs once each commits. */
async function drive(
  after: (eventId: string) => Promise<void> | void,
): Promise<{ written: number; behind: number }> {
  const total = RATE * SECONDS;
  const start = performance.now();
  const pending: Promise<void>[] = [];
  let behind = 0;
  for (let i = 0; i < total; i += 1) {
    const due = start + (i * 1000) / RATE;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    else if (wait < -50) behind += 1;
    const subjectId = subjects[i % subjects.length]!;
    const grant = !granted.get(subjectId);
    granted.set(subjectId, grant);
    pending.push(
      changePurposeConsent({
        subjectId,
        purposeKey: purpose,
        action: grant ? "grant" : "withdraw",
        method: "API",
        meta,
        idempotencyKey: `api:${randomUUID()}`,
      }).then(async (result) => {
        if (!result.ok) throw new Error(result.message);
        committedAt.set(result.data.event.id, performance.now());
        await after(result.data.event.id);
      }),
    );
  }
  await Promise.all(pending);
  return { written: total, behind };
}

async function settle(expected: number) {
  const until = performance.now() + 30_000;
  while (latencies().length < expected && performance.now() < until)
    await new Promise((r) => setTimeout(r, 50));
}

function report(name: string, written: number, behind: number) {
  const sorted = latencies().sort((a, b) => a - b);
  const row = {
    name,
    written,
    received: sorted.length,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted.at(-1) ?? NaN,
    writerBehind: behind,
  };
  console.log(
    `${name.padEnd(34)} ${row.received}/${row.written} received  p50 ${row.p50.toFixed(1)} ms  p95 ${row.p95.toFixed(1)} ms  p99 ${row.p99.toFixed(1)} ms  max ${row.max.toFixed(1)} ms`,
  );
  return row;
}

// 1. Baseline: the writer POSTs itself after its commit (no outbox, no signature).
const baseline = await drive(async (eventId) => {
  await fetch(receiverUrl, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ data: { eventId } }),
  });
});
await settle(baseline.written);
const base = report("baseline: POST after commit", baseline.written, baseline.behind);

// 2. The outbox: trigger in the event's transaction, dispatcher woken by NOTIFY, signed POST.
receivedAt.clear();
committedAt.clear();
const endpoint = await createWebhookEndpoint(
  { actor: null, meta: null },
  { url: receiverUrl, description: "bench", eventTypes: ["consent.changed"] },
);
if (!endpoint.ok) throw new Error(endpoint.message);
verifier = new Webhook(endpoint.data.secret);
const stop = new AbortController();
const loop = runDispatcherLoop({ signal: stop.signal, log: { info: () => {}, error: console.error } });
await new Promise((r) => setTimeout(r, 500));
const outbox = await drive(() => {});
await settle(outbox.written);
const hooks = report("outbox, dispatcher in-process", outbox.written, outbox.behind);
stop.abort();
await loop;

// 3. The same with the dispatcher in its own process (`npm run worker`), as a deployment can run it.
receivedAt.clear();
committedAt.clear();
const worker = spawn("npx", ["tsx", "--conditions=react-server", "scripts/worker.ts"], {
  env: { ...process.env, DATABASE_POOL_SIZE: "10" },
  stdio: ["ignore", "pipe", "inherit"],
  detached: true,
});
await new Promise<void>((resolve) =>
  worker.stdout!.on("data", (chunk: Buffer) => {
    if (chunk.toString().includes("[webhooks] dispatcher started")) resolve();
  }),
);
const separate = await drive(() => {});
await settle(separate.written);
const hooksApart = report("outbox, dispatcher in npm run worker", separate.written, separate.behind);
// npx does not pass signals on: stop the whole group it started.
process.kill(-worker.pid!, "SIGTERM");
await new Promise((r) => worker.once("exit", r));

const { load } = await import("node:os").then((os) => ({ load: os.loadavg() }));
console.log(
  `\nrate ${RATE}/s for ${SECONDS} s; p99 outbox/baseline ${(hooks.p99 / base.p99).toFixed(2)}× in-process, ${(hooksApart.p99 / base.p99).toFixed(2)}× separate; target p99 ≤ 1000 ms: ${Math.min(hooks.p99, hooksApart.p99) <= 1000 ? "met" : "NOT met"}; refused signatures ${refused}; load average ${load.map((l) => l.toFixed(1)).join(" ")}`,
);
server.close();
await prisma.$disconnect();
await pool.end();
await database.drop();
