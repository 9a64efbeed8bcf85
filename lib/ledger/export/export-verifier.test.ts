import { createHash } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { GENESIS_HASH, eventHash } from "@/lib/ledger/event-hash";
import { merkleRoot } from "@/lib/ledger/merkle";
import { ndjsonEventLine, type ExportManifest, type ExportedEvent } from "@/lib/ledger/export/export-format";
import { ExportVerifier } from "@/lib/ledger/export/export-verifier";
import { verifyExportFile } from "@/lib/ledger/export/verify-export-file";

const A = "11111111-1111-4111-8111-111111111111";
const B = "22222222-2222-4222-8222-222222222222";

/** Two interleaved chains of three events; txid 10 for positions 1–4, txid 11 for 5–6. */
function ledger(): ExportedEvent[] {
  const tips: Record<string, string> = { [A]: GENESIS_HASH, [B]: GENESIS_HASH };
  const seqs: Record<string, number> = { [A]: 0, [B]: 0 };
  return [A, B, A, B, A, B].map((subjectId, i) => {
    const fields = {
      id: `00000000-0000-4000-8000-00000000000${i}`,
      subjectId,
      seq: (seqs[subjectId] = (seqs[subjectId] ?? 0) + 1),
      action: i < 2 ? "AGREEMENT_ACCEPTED" : "PURPOSE_GRANTED",
      versionId: "33333333-3333-4333-8333-333333333333",
      versionNumber: 1,
      purposeKey: i < 2 ? null : "surveys",
      noticeSha256: "a".repeat(64),
      method: "WEB",
      recordedAt: `2025-01-01T00:00:0${i}.000Z`,
      ipTruncated: null,
      userAgent: "",
      locale: "en",
      idempotencyKey: `k${i}`,
      prevHash: tips[subjectId] as string,
    };
    const hash = eventHash(fields);
    tips[subjectId] = hash;
    return { ...fields, hash, position: String(i + 1), txid: i < 4 ? "10" : "11" };
  });
}

function manifestFor(
  events: ExportedEvent[],
  body: string,
  filters: Record<string, string> = {},
): ExportManifest {
  const first = events.filter((e) => e.txid === "10");
  return {
    type: "manifest",
    format: "accord-consent-export",
    formatVersion: 1,
    ledgerFormatVersion: 1,
    exportId: "44444444-4444-4444-8444-444444444444",
    fileFormat: "ndjson",
    filters,
    order: "position",
    rowCount: events.length,
    startedAt: "2025-01-02T00:00:00.000Z",
    completedAt: "2025-01-02T00:00:01.000Z",
    exportedBy: { id: A, email: "auditor@example.com", role: "AUDITOR" },
    sha256: createHash("sha256").update(body).digest("hex"),
    checkpoints: [
      {
        id: 1,
        txidFrom: "0",
        txidTo: "11",
        eventCount: 4,
        firstPosition: "1",
        lastPosition: "4",
        merkleRoot: merkleRoot(first.map((e) => e.hash)),
        createdAt: "2025-01-01T01:00:00.000Z",
        exportedCount: first.length,
      },
    ],
    uncheckpointedCount: events.filter((e) => e.txid === "11").length,
  };
}

function run(events: ExportedEvent[], manifest: ExportManifest | null, sha = manifest?.sha256 ?? "") {
  const verifier = new ExportVerifier();
  if (manifest) verifier.setManifest(manifest);
  events.forEach((event, i) => verifier.add(event, i + 1));
  return verifier.finish(sha);
}

describe("the export verifier", () => {
  it("passes an intact whole-ledger export and says what it checked", () => {
    const events = ledger();
    const report = run(events, manifestFor(events, "x"));
    expect(report.problems).toEqual([]);
    expect(report).toMatchObject({
      ok: true,
      rows: 6,
      subjects: 2,
      linksChecked: 6,
      linksNotCheckable: 0,
      checkpointsVerified: 1,
      uncheckpointed: 2,
    });
  });

  it("names an altered event by id, seq and subject, and only that one", () => {
    const events = ledger();
    const manifest = manifestFor(events, "x");
    events[2] = { ...(events[2] as ExportedEvent), purposeKey: "third-party-sharing" };
    const report = run(events, manifest);
    expect(report.problems.map((p) => [p.kind, p.eventId, p.seq, p.subjectId])).toEqual([
      ["hash", events[2]?.id, 2, A],
    ]);
  });

  it("notices a rewritten hash: the link after it names the rewritten event, and the checkpoint root breaks", () => {
    const events = ledger();
    const manifest = manifestFor(events, "x");
    const forged = { ...(events[0] as ExportedEvent), userAgent: "forged" };
    events[0] = { ...forged, hash: eventHash(forged) };
    const report = run(events, manifest);
    expect(report.problems.map((p) => p.kind)).toEqual(["chain", "checkpoint"]);
    expect(report.problems[0]).toMatchObject({ subjectId: A, seq: 1, eventId: events[0]?.id });
  });

  it("in a whole-ledger export a missing event is named; in a filtered one the gap is counted", () => {
    const events = ledger().filter((_, i) => i !== 2);
    const whole = run(events, { ...manifestFor(ledger(), "x"), rowCount: 5 });
    expect(whole.problems.map((p) => p.kind)).toEqual(["missing", "checkpoint"]);
    expect(whole.problems[0]?.message).toContain("seq 2 is missing");

    const manifest = manifestFor(events, "x", { method: "WEB" });
    const filtered = run(events, {
      ...manifest,
      checkpoints: manifest.checkpoints.map((c) => ({ ...c, exportedCount: 3 })),
    });
    expect(filtered.problems).toEqual([]);
    expect(filtered).toMatchObject({
      linksNotCheckable: 1,
      checkpointsVerified: 0,
      checkpointsNotCheckable: 1,
    });
  });

  it("in a whole-ledger export, refuses a checkpoint with fewer events than it holds and ranges with gaps", () => {
    const events = ledger();
    const manifest = manifestFor(events, "x");
    const short = { ...manifest, checkpoints: manifest.checkpoints.map((c) => ({ ...c, exportedCount: 3 })) };
    expect(
      run(
        events.filter((_, i) => i !== 3),
        { ...short, rowCount: 5 },
      ).problems.map((p) => p.kind),
    ).toContain("checkpoint");
    const gap = { ...manifest, checkpoints: manifest.checkpoints.map((c) => ({ ...c, txidFrom: "5" })) };
    expect(
      run(events, gap)
        .problems.map((p) => p.message)
        .join(),
    ).toContain("the first must start at 0");
    const positions = {
      ...manifest,
      checkpoints: manifest.checkpoints.map((c) => ({ ...c, lastPosition: "9" })),
    };
    expect(run(events, positions).problems.map((p) => p.kind)).toEqual(["checkpoint"]);
  });

  it("refuses rows out of ledger order, a wrong genesis link and a missing or foreign manifest", () => {
    const events = ledger();
    const swapped = [events[1], events[0], ...events.slice(2)] as ExportedEvent[];
    expect(run(swapped, manifestFor(events, "x")).problems.map((p) => p.kind)).toContain("order");
    expect(run(events, null).problems.map((p) => p.kind)).toEqual(["manifest"]);
    const foreign = new ExportVerifier();
    foreign.setManifest({ ...manifestFor(events, "x"), ledgerFormatVersion: 9 });
    expect(foreign.finish("").problems[0]?.message).toMatch(/ledger format version 9/);
  });

  it("reads NDJSON files: hash over the lines before the manifest; bad lines are reported, not fatal", async () => {
    const dir = mkdtempSync(join(tmpdir(), "accord-verify-"));
    const events = ledger();
    const body = events.map(ndjsonEventLine).join("");
    const file = join(dir, "ok.ndjson");
    writeFileSync(file, `${body}${JSON.stringify(manifestFor(events, body))}\n`);
    expect((await verifyExportFile(file)).problems).toEqual([]);

    const broken = join(dir, "broken.ndjson");
    const lines = body.split("\n");
    lines[3] = (lines[3] as string).slice(0, 80);
    writeFileSync(broken, `${lines.join("\n")}${JSON.stringify(manifestFor(events, body))}\n`);
    const report = await verifyExportFile(broken);
    expect(report.ok).toBe(false);
    expect(report.problems.find((p) => p.kind === "unreadable")?.message).toContain(
      `line 4: not valid JSON (it looks like event ${events[3]?.id})`,
    );
    expect(report.problems.map((p) => p.kind)).toContain("file");
  });
});
