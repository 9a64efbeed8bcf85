// The log at scale (issue 10): inclusion and consistency proofs at N leaves,
// and how fast the sequencer takes a backlog, against the naive baseline of
// reading every leaf, in the same run.
//
//   npx tsx --conditions=react-server bench/log-proofs.ts [--events 1000000] [--proofs 1000] [--backlog 20000]
//
// 1. A fresh database with N valid events (synthetic-ledger), given their
//    leaves set-based in SQL (as the migration to format 2 does), then the
//    first signed checkpoint.
// 2. Inclusion proofs for random leaves (lib/ledger/log/tree-store.ts, one
//    indexed query of O(log n) subtree hashes), p50/p99 (target p99 ≤ 20 ms);
//    each proof verified. Then consistency proofs between random sizes.
// 3. Baseline, same run: one proof the naive way (read all N leaf hashes,
//    build the tree in memory).
// 4. Sequencer: a backlog of signed events appended through the append
//    function, then one sequencer run (check each event's hash and signature,
//    number the leaves, store the subtrees, sign): events per second.
import { randomUUID } from "node:crypto";
import pg from "pg";
import { createTestDatabase } from "../tests/helpers/test-database";
import { seed } from "../prisma/seed";
import { sequenceAsFormat1, writeSyntheticLedger } from "../lib/ledger/testing/synthetic-ledger";
import { generateSignerKey, parseSignerKey } from "../lib/ledger/note";
import { leafHash, TreeBuilder, verifyConsistency, verifyInclusion } from "../lib/ledger/merkle";
import { signEventContent } from "../lib/ledger/event-signature";

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? Number(args[at + 1]) : fallback;
};
const EVENTS = option("events", 1_000_000);
const PROOFS = option("proofs", 1_000);
const BACKLOG = option("backlog", 20_000);

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;
const ms = (n: number) => `${n.toFixed(2)} ms`;

const database = await createTestDatabase();
process.env.DATABASE_URL = database.runtimeUrl;
process.env.NEXTAUTH_SECRET ??= "bench-secret-bench-secret-bench-secret-0000";
process.env.LEDGER_SIGNING_KEY = generateSignerKey("bench.accord.local/consent-log");
const signer = parseSignerKey(process.env.LEDGER_SIGNING_KEY);
const owner = new pg.Pool({ connectionString: database.url, max: 4 });
const { sequenceAndSign } = await import("../lib/ledger/log/sequencer");
const { consistencyProof, inclusionProof, treeRoot } = await import("../lib/ledger/log/tree-store");
try {
  await seed(database.url, { demoAccounts: false });
  let started = Date.now();
  await writeSyntheticLedger(owner, {
    subjects: Math.max(1, Math.floor(EVENTS / 50)),
    events: EVENTS,
    onProgress: (n) => n % 100_000 === 0 && console.log(`  wrote ${n} events`),
  });
  console.log(`wrote ${EVENTS} events in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  started = Date.now();
  const size = await sequenceAsFormat1(owner);
  console.log(
    `gave them leaves and subtree hashes in SQL in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  await sequenceAndSign(owner, { signer, verifiers: [signer] });
  const root = await treeRoot(owner, size);

  const app = new pg.Pool({ connectionString: database.runtimeUrl, max: 2 });
  const times: number[] = [];
  // Same-run floor of the machine's latency: a bare `SELECT 1` round trip, interleaved with the proofs.
  const floor: number[] = [];
  for (let i = 0; i < PROOFS; i++) {
    const index = Math.floor(Math.random() * size);
    const t0 = performance.now();
    await app.query("SELECT 1");
    floor.push(performance.now() - t0);
    const t = performance.now();
    const proof = await inclusionProof(app, index, size);
    times.push(performance.now() - t);
    const { rows } = await app.query<{ event_hash: string }>(
      "SELECT event_hash FROM ledger_leaves WHERE leaf_index = $1",
      [index],
    );
    if (!verifyInclusion(index, size, leafHash(Buffer.from(rows[0]!.event_hash, "hex")), proof, root))
      throw new Error(`inclusion proof for leaf ${index} does not verify`);
  }
  times.sort((a, b) => a - b);
  floor.sort((a, b) => a - b);
  console.log(
    `inclusion proofs at ${size} leaves (${PROOFS}): p50 ${ms(percentile(times, 0.5))}, p99 ${ms(percentile(times, 0.99))}, max ${ms(times.at(-1)!)} (target p99 ≤ 20 ms)`,
  );
  console.log(
    `same-run floor, SELECT 1 round trip: p50 ${ms(percentile(floor, 0.5))}, p99 ${ms(percentile(floor, 0.99))}, max ${ms(floor.at(-1)!)}; load average ${(
      await import("node:os")
    )
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(" ")}`,
  );

  const ctimes: number[] = [];
  for (let i = 0; i < Math.min(PROOFS, 200); i++) {
    const from = 1 + Math.floor(Math.random() * (size - 1));
    const t = performance.now();
    const proof = await consistencyProof(app, from, size);
    ctimes.push(performance.now() - t);
    if (!verifyConsistency(from, size, await treeRoot(app, from), root, proof))
      throw new Error("consistency proof fails");
  }
  ctimes.sort((a, b) => a - b);
  console.log(
    `consistency proofs to ${size} (${ctimes.length}): p50 ${ms(percentile(ctimes, 0.5))}, p99 ${ms(percentile(ctimes, 0.99))}`,
  );

  // Baseline: the naive proof reads every leaf.
  const t = performance.now();
  const builder = new TreeBuilder();
  const { rows } = await app.query<{ event_hash: string }>(
    "SELECT event_hash FROM ledger_leaves ORDER BY leaf_index",
  );
  for (const row of rows) builder.addLeafHash(leafHash(Buffer.from(row.event_hash, "hex")));
  const naive = performance.now() - t;
  if (!builder.root().equals(root)) throw new Error("naive root differs");
  console.log(
    `baseline: reading all ${rows.length} leaves to rebuild the root took ${ms(naive)} (${(naive / percentile(times, 0.99)).toFixed(0)}× the p99 proof)`,
  );
  await app.end();

  // The sequencer on a backlog of signed events written through the append function.
  const { rows: subjects } = await owner.query<{ id: string; version_id: string; notice: string }>(
    `SELECT s.subject_id::text AS id, s.accepted_version_id::text AS version_id, p.notice_sha256 AS notice
       FROM consent_subjects s JOIN purposes p ON p.version_id = s.accepted_version_id AND p.key = 'surveys' LIMIT 64`,
  );
  const appendPool = new pg.Pool({ connectionString: database.runtimeUrl, max: 8 });
  started = Date.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < BACKLOG) {
        const n = next++;
        const subject = subjects[n % subjects.length]!;
        const content = {
          id: randomUUID(),
          subjectId: subject.id,
          action: "PURPOSE_GRANTED",
          versionId: subject.version_id,
          versionNumber: 1,
          purposeKey: "surveys",
          noticeSha256: subject.notice,
          method: "API",
          recordedAt: new Date().toISOString(),
          ipTruncated: "203.0.113.0",
          userAgent: "bench",
          locale: "en",
          idempotencyKey: `bench:${n}`,
        };
        await appendPool.query(
          `SELECT * FROM accord_append_consent_event($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, NULL)`,
          [
            content.id,
            content.subjectId,
            content.action,
            content.versionId,
            1,
            content.purposeKey,
            content.noticeSha256,
            content.method,
            content.recordedAt,
            content.ipTruncated,
            content.userAgent,
            content.locale,
            content.idempotencyKey,
            signEventContent(content, signer),
            signer.keyId,
          ],
        );
      }
    }),
  );
  const appendSeconds = (Date.now() - started) / 1000;
  console.log(
    `appended ${BACKLOG} signed events (8 writers, no HTTP) at ${(BACKLOG / appendSeconds).toFixed(0)}/s`,
  );
  started = Date.now();
  const run = await sequenceAndSign(appendPool, { signer, verifiers: [signer] });
  const seconds = (Date.now() - started) / 1000;
  console.log(
    `sequencer: ${run.sequenced} events checked, numbered and signed over in ${seconds.toFixed(2)} s = ${(run.sequenced / seconds).toFixed(0)} events/s (refused ${run.refused.length})`,
  );
  await appendPool.end();
} finally {
  await owner.end();
  await database.drop();
}
