import { describe, expect, it } from "vitest";
import { TipStore } from "@/lib/ledger/check/tip-store";

const id = (n: number) => `00000000-0000-4000-8000-${n.toString(16).padStart(12, "0")}`;
const hash = (n: number) => n.toString(16).padStart(64, "0");

describe("the chain walk's packed tips", () => {
  it("gives back exactly what was stored, for many subjects, after growing", () => {
    const tips = new TipStore();
    for (let n = 0; n < 5000; n++)
      tips.set(`s${n}`, { id: id(n), subjectId: `s${n}`, seq: n + 1 }, hash(n), n % 2 === 0);
    tips.set("s7", { id: id(70), subjectId: "s7", seq: 99, line: 12 }, hash(70), false);
    expect(tips.size).toBe(5000);
    expect(tips.get("s4999")).toEqual({
      ref: { id: id(4999), subjectId: "s4999", seq: 5000 },
      hash: hash(4999),
      hashOk: false,
    });
    expect(tips.get("s7")).toEqual({
      ref: { id: id(70), subjectId: "s7", seq: 99, line: 12 },
      hash: hash(70),
      hashOk: false,
    });
    expect(tips.get("s0")?.hashOk).toBe(true);
    expect(tips.get("nobody")).toBeNull();
  });

  it("keeps values that do not pack as they were read", () => {
    const tips = new TipStore();
    const odd = { id: "NOT-A-UUID", subjectId: "s", seq: 3 };
    tips.set("s", odd, "ABC", true);
    expect(tips.get("s")).toEqual({ ref: odd, hash: "ABC", hashOk: true });
    // A later canonical value replaces the odd one.
    tips.set("s", { id: id(1), subjectId: "s", seq: 4 }, hash(1), true);
    expect(tips.get("s")).toEqual({
      ref: { id: id(1), subjectId: "s", seq: 4 },
      hash: hash(1),
      hashOk: true,
    });
  });

  it("reuses a forgotten subject's slot without leaking its values", () => {
    const tips = new TipStore();
    tips.set("a", { id: "odd", subjectId: "a", seq: 1 }, "odd-hash", true);
    tips.delete("a");
    expect(tips.get("a")).toBeNull();
    tips.set("b", { id: id(2), subjectId: "b", seq: 2 }, hash(2), true);
    expect(tips.get("b")).toEqual({
      ref: { id: id(2), subjectId: "b", seq: 2 },
      hash: hash(2),
      hashOk: true,
    });
    expect(tips.size).toBe(1);
  });
});
