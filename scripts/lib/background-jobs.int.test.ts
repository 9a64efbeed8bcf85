// Finding 12: `npm start` printed "MaxListenersExceededWarning: 11 abort
// listeners added to [AbortSignal]" after about 11 s, because the log's
// sequencer loop added an abort listener per one-second round and never
// removed it. The loop runs here for 30 rounds on one signal.
import { getEventListeners } from "node:events";
import { describe, expect, it } from "vitest";

describe("the sequencer loop of npm start", () => {
  it("keeps no abort listener from earlier rounds on its signal", async () => {
    const { sequencerLoop } = await import("./background-jobs");
    const { sequenceNow } = await import("@/lib/ledger/log/public-log");
    const controller = new AbortController();
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on("warning", onWarning);
    const listenersPerRound: number[] = [];
    try {
      await sequencerLoop(controller.signal, {
        pollMs: 1,
        sequence: async () => {
          listenersPerRound.push(getEventListeners(controller.signal, "abort").length);
          if (listenersPerRound.length === 30) controller.abort();
          return sequenceNow();
        },
      });
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off("warning", onWarning);
    }
    expect(listenersPerRound).toEqual(Array.from({ length: 30 }, () => 0));
    expect(getEventListeners(controller.signal, "abort")).toHaveLength(0);
    expect(warnings.filter((w) => w.name === "MaxListenersExceededWarning")).toEqual([]);
  });
});
