// Format 2 exports against the log (docs/exports.md): each refusal of the
// export verifier's log check, on a small ledger signed by a test log key.
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { GENESIS_HASH, eventHash } from "@/lib/ledger/event-hash";
import { consistencyRanges, rootOfEntries } from "@/lib/ledger/merkle";
import {
  formatVerifierKey,
  generateSignerKey,
  parseSignerKey,
  signNoteText,
  type NoteSigner,
} from "@/lib/ledger/note";
import { formatCheckpointText } from "@/lib/ledger/tlog-checkpoint";
import type { ExportManifest, ExportedEvent, ManifestLog } from "@/lib/ledger/export/export-format";
import { ExportVerifier } from "@/lib/ledger/export/export-verifier";
import type { LogCheckInput } from "@/lib/ledger/export/log-check";

const A = "11111111-1111-4111-8111-111111111111";
const B = "22222222-2222-4222-8222-222222222222";
const logKey = parseSignerKey(generateSignerKey("example.test/accord/consent-log"));
const otherKey = parseSignerKey(generateSignerKey("example.test/accord/consent-log"));

/**
 * Two chains, six events. Leaves 0–4 are under the checkpoint; positions 4
 * and 5 committed in the other order (leaves 4 and 3), the sixth has no leaf yet.
 */
function ledger(): ExportedEvent[] {
  const tips: Record<string, string> = { [A]: GENESIS_HASH, [B]: GENESIS_HASH };
  const seqs: Record<string, number> = { [A]: 0, [B]: 0 };
  const leaves = ["0", "1", "2", "4", "3", null];
  return [A, B, A, B, A, B].map((subjectId, i) => {
    const fields = {
      id: `00000000-0000-4000-8000-00000000000${i}`,
      subjectId,
      seq: (seqs[subjectId] = (seqs[subjectId] ?? 0) + 1),
      action: "PURPOSE_GRANTED",
      versionId: "33333333-3333-4333-8333-333333333333",
      versionNumber: 1,
      purposeKey: "surveys",
      noticeSha256: "a".repeat(64),
      method: "WEB",
      recordedAt: `2026-01-01T00:00:0${i}.000Z`,
      ipTruncated: null,
      userAgent: "ua",
      locale: "en",
      idempotencyKey: `k${i}`,
      prevHash: tips[subjectId] as string,
    };
    const hash = eventHash(fields);
    tips[subjectId] = hash;
    return {
      ...fields,
      hash,
      position: String(i + 1),
      txid: "20",
      prunedAt: null,
      leafIndex: leaves[i] ?? null,
    };
  });
}

/** Leaf entries in leaf order. */
function entries(events: ExportedEvent[]): Buffer[] {
  return events
    .filter((e) => e.leafIndex !== null && e.leafIndex !== undefined)
    .sort((a, b) => Number(a.leafIndex) - Number(b.leafIndex))
    .map((e) => Buffer.from(e.hash, "hex"));
}

function note(size: number, root: Buffer, signer: NoteSigner = logKey): string {
  const text = formatCheckpointText({ origin: signer.name, size, root, time: new Date(0) });
  return `${text}\n${signNoteText(text, signer)}\n`;
}

function proof(all: Buffer[], m: number, n: number): string[] {
  return consistencyRanges(m, n).map((r) => rootOfEntries(all.slice(r.a, r.b)).toString("base64"));
}

function manifest(events: ExportedEvent[], log: Partial<ManifestLog> = {}, filters = {}): ExportManifest {
  const all = entries(ledger());
  const root = rootOfEntries(all);
  return {
    type: "manifest",
    format: "accord-consent-export",
    formatVersion: 2,
    ledgerFormatVersion: 1,
    exportId: "44444444-4444-4444-8444-444444444444",
    fileFormat: "ndjson",
    filters,
    order: "position",
    rowCount: events.length,
    startedAt: "2026-01-02T00:00:00.000Z",
    completedAt: "2026-01-02T00:00:01.000Z",
    exportedBy: { id: A, email: "auditor@example.com", role: "AUDITOR" },
    sha256: createHash("sha256").update("x").digest("hex"),
    checkpoints: [],
    uncheckpointedCount: events.length,
    log: {
      verifierKey: formatVerifierKey(logKey),
      checkpoint: note(5, root),
      treeSize: 5,
      rootHash: root.toString("hex"),
      inCheckpoint: events.filter((e) => e.leafIndex !== null).length,
      consistency: [{ fromSize: 2, proof: proof(all, 2, 5) }],
      ...log,
    },
  };
}

function run(events: ExportedEvent[], m: ExportManifest, input: LogCheckInput = {}) {
  const verifier = new ExportVerifier(input);
  verifier.setManifest(m);
  events.forEach((event, i) => verifier.add(event, i + 1));
  return verifier.finish(m.sha256);
}

const logProblems = (report: ReturnType<typeof run>) =>
  report.problems.filter((p) => p.kind === "log" || p.kind === "count").map((p) => p.message);

describe("format 2: the export against the signed log", () => {
  it("an intact whole-ledger export recomputes the signed root, leaves out of position order included", () => {
    const events = ledger();
    const report = run(events, manifest(events));
    expect(report.problems).toEqual([]);
    expect(report.log).toEqual({
      treeSize: 5,
      keyPinned: false,
      rootRecomputed: true,
      inCheckpoint: 5,
      since: null,
    });
    const pinned = run(events, manifest(events), { logKey: formatVerifierKey(logKey) });
    expect(pinned.log?.keyPinned).toBe(true);
  });

  it("refuses a checkpoint not signed by the log key, or a manifest naming another key than the pinned one", () => {
    const events = ledger();
    const root = rootOfEntries(entries(events));
    const forged = manifest(events, { checkpoint: note(5, root, otherKey) });
    expect(logProblems(run(events, forged))[0]).toMatch(/not signed by/);
    const pinnedOther = run(events, manifest(events), { logKey: formatVerifierKey(otherKey) });
    expect(logProblems(pinnedOther)[0]).toMatch(/not the one given/);
    expect(run(events, { ...manifest(events), log: undefined }).problems.map((p) => p.message)).toContain(
      "the manifest carries no signed checkpoint of the log",
    );
  });

  it("refuses a root the file's leaves do not give (a rewritten log), and a manifest size the note does not say", () => {
    const events = ledger();
    const rewritten = [...entries(events)];
    rewritten[1] = Buffer.alloc(32, 7);
    const root = rootOfEntries(rewritten);
    const m = manifest(events, { checkpoint: note(5, root), rootHash: root.toString("hex") });
    expect(logProblems(run(events, m))).toEqual([
      "the root of the file's 5 leaves is not the signed root: the log was rewritten",
    ]);
    expect(logProblems(run(events, manifest(events, { treeSize: 4 })))[0]).toMatch(/the manifest 4/);
  });

  it("refuses missing leaves, counts that differ and a leaf given twice", () => {
    const events = ledger();
    const missing = events.map((e) => (e.leafIndex === "2" ? { ...e, leafIndex: null } : e));
    expect(logProblems(run(missing, manifest(events)))).toEqual([
      "the manifest says 5 rows are under the signed checkpoint of size 5, the file has 4",
      "leaves 2–4 of the signed checkpoint are not all in this whole-ledger export (the first missing is 2)",
    ]);
    const twice = events.map((e) => (e.leafIndex === "3" ? { ...e, leafIndex: "1" } : e));
    expect(logProblems(run(twice, manifest(events)))).toContain("leaf 1 appears more than once");
  });

  it("--since: a prefix is consistent; a fork, a rollback or a forged earlier checkpoint is refused", () => {
    const events = ledger();
    const all = entries(events);
    const m = manifest(events);
    const earlier = note(3, rootOfEntries(all.slice(0, 3)));
    expect(run(events, m, { since: earlier }).log?.since).toEqual({ size: 3, result: "consistent" });
    // An earlier export's manifest works as well as a checkpoint file.
    const earlierManifest = JSON.stringify(manifest(events, { checkpoint: earlier, treeSize: 3 }));
    expect(run(events, m, { since: earlierManifest }).log?.since?.result).toBe("consistent");

    const fork = run(events, m, { since: note(3, rootOfEntries([all[0]!, all[1]!, Buffer.alloc(32)])) });
    expect(fork.log?.since?.result).toBe("inconsistent");
    expect(logProblems(fork)[0]).toMatch(/do not give the earlier root/);
    const sameSizeFork = run(events, m, { since: note(5, Buffer.alloc(32, 1)) });
    expect(logProblems(sameSizeFork)[0]).toMatch(/a fork/);
    const rollback = run(events, m, { since: note(9, Buffer.alloc(32, 1)) });
    expect(logProblems(rollback)[0]).toMatch(/a rollback/);
    const forged = run(events, m, { since: note(3, rootOfEntries(all.slice(0, 3)), otherKey) });
    expect(logProblems(forged)[0]).toMatch(/does not verify with the log key/);
  });

  it("--since on a filtered export uses the manifest's consistency proofs, and says when it has none", () => {
    const all = entries(ledger());
    const events = ledger().filter((e) => e.subjectId === A);
    const filtered = manifest(events, {}, { user: A });
    const from2 = run(events, filtered, { since: note(2, rootOfEntries(all.slice(0, 2))) });
    expect(from2.problems).toEqual([]);
    expect(from2.log).toMatchObject({ rootRecomputed: false, since: { size: 2, result: "consistent" } });
    const bad = run(events, filtered, { since: note(2, rootOfEntries([all[1]!, all[0]!])) });
    expect(logProblems(bad)[0]).toMatch(/consistency proof from 2 to 5 does not hold/);
    const none = run(events, filtered, { since: note(3, rootOfEntries(all.slice(0, 3))) });
    expect(none.problems).toEqual([]);
    expect(none.log?.since).toEqual({ size: 3, result: "not_checkable" });
  });
});
