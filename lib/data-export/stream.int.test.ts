// "Download my data" for a subject with more events than one batch
// (EXPORT_BATCH): every event is written once, in seq order, with a receipt
// that verifies, whichever batch it fell in. A private database, since the
// events are written as superuser by the synthetic ledger.
import { createPublicKey } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import { createTestDatabase, type TestDatabase } from "../../tests/helpers/test-database";
import { seed } from "../../prisma/seed";
import { writeSyntheticLedger } from "@/lib/ledger/testing/synthetic-ledger";
import { endPool } from "@/tests/helpers/end-pool";

let database: TestDatabase;
let superuser: pg.Pool;
let exporter: typeof import("@/lib/data-export/stream");
let appPool: pg.Pool;
const previousUrl = process.env.DATABASE_URL;

beforeAll(async () => {
  database = await createTestDatabase();
  await seed(database.url, { demoAccounts: false });
  // lib/db reads DATABASE_URL when first imported: this file's modules use the private database.
  process.env.DATABASE_URL = database.runtimeUrl;
  const [stream, db] = await Promise.all([import("@/lib/data-export/stream"), import("@/lib/db")]);
  exporter = stream;
  appPool = db.pool;
  superuser = new pg.Pool({ connectionString: database.url, max: 2 });
});

afterAll(async () => {
  if (superuser) await endPool(superuser);
  if (appPool) await endPool(appPool);
  process.env.DATABASE_URL = previousUrl;
  await database?.drop();
});

async function readChunks(stream: ReadableStream<Uint8Array>) {
  const chunks: Uint8Array[] = [];
  for await (const chunk of stream as unknown as AsyncIterable<Uint8Array>) chunks.push(chunk);
  return { chunks: chunks.length, text: Buffer.concat(chunks).toString("utf8") };
}

describe("download my data, more events than one batch", () => {
  it("writes every event once, in order, each with a receipt that verifies", async () => {
    const events = exporter.EXPORT_BATCH * 2 + 3;
    const [subjectId] = await writeSyntheticLedger(superuser, { subjects: 1, events });
    // Another subject's events interleave in the table and must not appear.
    await writeSyntheticLedger(superuser, { subjects: 1, events: 5 });

    const json = await readChunks((await exporter.streamPersonalData(subjectId!, { format: "json" }))!);
    // Head, sections, then the events in chunks of about CHUNK_CHARS (not one per event).
    expect(json.chunks).toBeGreaterThan(2 + (events * 3_000) / exporter.CHUNK_CHARS / 2);
    expect(json.chunks).toBeLessThan(events / 5);
    const archive = JSON.parse(json.text);
    expect(archive.consentEventCount).toBe(events);
    const list = archive.consentEvents as {
      id: string;
      subjectId: string;
      seq: number;
      hash: string;
      prevHash: string;
      receiptUrl: string;
      receipt: { evidence: { hash: string; seq: number }; signature: string };
    }[];
    expect(list.map((event) => event.seq)).toEqual(Array.from({ length: events }, (_, i) => i + 1));
    expect(new Set(list.map((event) => event.subjectId))).toEqual(new Set([subjectId]));
    list.forEach((event, i) => {
      if (i > 0) expect(event.prevHash).toBe(list[i - 1]!.hash);
      expect(event.receipt.evidence).toMatchObject({ hash: event.hash, seq: event.seq });
      expect(event.receiptUrl).toBe(`/api/v1/me/receipts/${event.id}`);
    });
    const { verifyReceiptSignature } = await import("@/lib/ledger/receipt-jws");
    const { logSigner } = await import("@/lib/ledger/log/signing-key");
    const signer = logSigner();
    const publicKey = createPublicKey(signer.privateKey);
    // Every one: the export signs with canonicalJson, the check canonicalises with `canonicalize`.
    for (const event of list) {
      expect(await verifyReceiptSignature(event.receipt, publicKey)).toBe(signer.keyId);
    }

    const html = await readChunks(
      (await exporter.streamPersonalData(subjectId!, { format: "html", t: String }))!,
    );
    expect(html.text.match(/href="\/api\/v1\/me\/receipts\//g)).toHaveLength(events);
    // The events are the last table's rows.
    const rows = html.text.slice(html.text.lastIndexOf("<tbody>"));
    const seqs = [...rows.matchAll(/<tr><td>(\d+)<\/td>/g)].map((match) => Number(match[1]));
    expect(seqs).toEqual(Array.from({ length: events }, (_, i) => i + 1));
    expect(html.text).toMatch(/<\/html>$/);
  });

  it("writes an empty list for a subject without events", async () => {
    const { rows } = await superuser.query<{ id: string }>(
      `INSERT INTO users (id, email, password_hash, role) VALUES (gen_random_uuid(), 'no-events@export.test', 'x', 'USER') RETURNING id`,
    );
    const archive = JSON.parse(
      (await readChunks((await exporter.streamPersonalData(rows[0]!.id, { format: "json" }))!)).text,
    );
    expect(archive).toMatchObject({ consentEvents: [], consentEventCount: 0 });
  });
});
