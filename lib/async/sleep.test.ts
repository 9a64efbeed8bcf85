import { getEventListeners } from "node:events";
import { describe, expect, it } from "vitest";
import { sleep } from "./sleep";

describe("sleep", () => {
  it("leaves no abort listener behind, however many times a loop sleeps on one signal", async () => {
    // Finding 12: a loop sleeping every second on one signal added a listener
    // per round and never removed it: 11 rounds gave MaxListenersExceededWarning.
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on("warning", onWarning);
    try {
      const controller = new AbortController();
      for (let round = 0; round < 50; round++) {
        await sleep(0, controller.signal);
        expect(getEventListeners(controller.signal, "abort")).toHaveLength(0);
      }
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings.filter((w) => w.name === "MaxListenersExceededWarning")).toEqual([]);
    } finally {
      process.off("warning", onWarning);
    }
  });

  it("ends at once when the signal aborts, and does not start after it", async () => {
    const controller = new AbortController();
    const long = sleep(3_600_000, controller.signal);
    controller.abort();
    await expect(long).resolves.toBeUndefined();
    await expect(sleep(3_600_000, controller.signal)).resolves.toBeUndefined();
    expect(getEventListeners(controller.signal, "abort")).toHaveLength(0);
  });
});
