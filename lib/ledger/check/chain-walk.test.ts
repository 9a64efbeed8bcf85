import { describe, expect, it } from "vitest";
import { GENESIS_HASH, eventHash } from "@/lib/ledger/event-hash";
import { ChainWalk, type WalkedEvent } from "@/lib/ledger/check/chain-walk";
import { formatProblems } from "@/lib/ledger/check/problems";

const S = "11111111-1111-4111-8111-111111111111";

function chain(length: number): WalkedEvent[] {
  let prevHash = GENESIS_HASH;
  return Array.from({ length }, (_, i) => {
    const fields = {
      id: `00000000-0000-4000-8000-00000000000${i}`,
      subjectId: S,
      seq: i + 1,
      action: "PURPOSE_GRANTED",
      versionId: "33333333-3333-4333-8333-333333333333",
      versionNumber: 1,
      purposeKey: "surveys",
      noticeSha256: "a".repeat(64),
      method: "WEB",
      recordedAt: `2026-01-01T00:00:0${i}.000Z`,
      ipTruncated: "203.0.113.0",
      userAgent: "Mozilla/5.0",
      locale: "en",
      idempotencyKey: `k${i}`,
      prevHash,
    };
    prevHash = eventHash(fields);
    return { ...fields, hash: prevHash };
  });
}

function walk(events: WalkedEvent[], complete = true) {
  const w = new ChainWalk({ complete });
  const steps = events.map((e) => w.add(e));
  return { w, steps };
}

describe("the one chain walk", () => {
  it("passes an intact chain and counts every link", () => {
    const { w, steps } = walk(chain(3));
    expect(w.problems).toEqual([]);
    expect(steps.map((s) => s.link)).toEqual(["ok", "ok", "ok"]);
    expect(w).toMatchObject({ linksChecked: 3, hashesRecomputed: 3, pruned: 0, subjects: 1 });
  });

  it("an edited event is a hash problem naming it; a consistent rewrite is a chain problem naming the rewritten event", () => {
    const edited = chain(3);
    edited[1] = { ...(edited[1] as WalkedEvent), method: "API" };
    expect(walk(edited).w.problems.map((p) => [p.kind, p.seq])).toEqual([["hash", 2]]);

    const rewritten = chain(3);
    const forged = { ...(rewritten[1] as WalkedEvent), method: "API" };
    rewritten[1] = { ...forged, hash: eventHash(forged) };
    const { w } = walk(rewritten);
    expect(w.problems.map((p) => [p.kind, p.seq, p.eventId])).toEqual([["chain", 2, rewritten[1]?.id]]);
    expect(formatProblems(w.problems, [])).toMatch(/^MISMATCH \[chain\] event \S+ \(subject \S+, seq 2\)/);
  });

  it("a gap is a deletion in a complete walk and a link not checkable otherwise", () => {
    const gap = chain(4).filter((e) => e.seq !== 2 && e.seq !== 3);
    const complete = walk(gap);
    expect(complete.w.problems.map((p) => [p.kind, p.seq])).toEqual([["missing", 2]]);
    expect(complete.w.problems[0]?.message).toContain("seqs 2–3 are missing");
    const filtered = walk(gap, false);
    expect(filtered.w.problems).toEqual([]);
    expect(filtered.w.linksNotCheckable).toBe(1);
  });

  it("a pruned event keeps its stored hash: counted as pruned, its links still checked", () => {
    const events = chain(3);
    const pruned: WalkedEvent = {
      ...(events[1] as WalkedEvent),
      ipTruncated: null,
      userAgent: null,
      locale: null,
      idempotencyKey: `pruned:${"c".repeat(64)}`,
      prunedAt: "2026-06-01T00:00:00.000Z",
    };
    events[1] = pruned;
    const { w, steps } = walk(events);
    expect(w.problems).toEqual([]);
    expect(steps[1]).toEqual({ hashOk: true, pruned: true, link: "ok" });
    expect(w).toMatchObject({ pruned: 1, hashesRecomputed: 2, linksChecked: 3 });

    // Marked pruned but still holding personal fields: not the prune's work.
    events[1] = { ...pruned, userAgent: "Mozilla/5.0" };
    expect(walk(events).w.problems.map((p) => [p.kind, p.seq])).toEqual([["hash", 2]]);

    // A pruned stub whose stored hash was changed still breaks the next link.
    events[1] = { ...pruned, hash: "b".repeat(64) };
    expect(walk(events).w.problems.map((p) => [p.kind, p.seq])).toEqual([["chain", 2]]);
  });

  it("a seq going backwards is an order problem", () => {
    const events = chain(2);
    expect(
      walk([events[1] as WalkedEvent, events[0] as WalkedEvent], false).w.problems.map((p) => p.kind),
    ).toEqual(["order"]);
  });
});
