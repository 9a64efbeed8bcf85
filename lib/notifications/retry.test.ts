import { describe, expect, it } from "vitest";
import { retryDelayMs } from "./retry";

describe("retryDelayMs", () => {
  it("doubles from the base delay and stops at the cap", () => {
    expect([1, 2, 3, 4].map((n) => retryDelayMs(n, 1000, 5000))).toEqual([1000, 2000, 4000, 5000]);
  });
});
