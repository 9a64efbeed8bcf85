import { describe, expect, it } from "vitest";
import {
  PREPUBLISH_MS,
  RETAIN_AFTER_REPLACED_MS,
  ROTATE_AFTER_MS,
  keyToCreate,
  publishedKeysAt,
  signingKeyAt,
  type ScheduledKey,
} from "./key-schedule";

const t0 = new Date("2027-01-01T00:00:00.000Z");
const plus = (ms: number) => new Date(t0.getTime() + ms);
const key = (kid: string, activatesAt: Date, retiredAt: Date | null = null): ScheduledKey => ({
  kid,
  activatesAt,
  retiredAt,
});

describe("token key schedule", () => {
  it("creates a key at once when there is none", () => {
    expect(keyToCreate([], t0)).toEqual({ activatesAt: t0 });
  });

  it("publishes the next key a week before it signs, then switches and keeps the old one a day", () => {
    const a = key("a", t0);
    expect(keyToCreate([a], plus(ROTATE_AFTER_MS - PREPUBLISH_MS - 1))).toBeNull();
    const prepublishAt = plus(ROTATE_AFTER_MS - PREPUBLISH_MS);
    expect(keyToCreate([a], prepublishAt)).toEqual({ activatesAt: plus(ROTATE_AFTER_MS) });

    const b = key("b", plus(ROTATE_AFTER_MS));
    expect(keyToCreate([a, b], prepublishAt)).toBeNull();
    expect(signingKeyAt([a, b], prepublishAt)?.kid).toBe("a");
    expect(publishedKeysAt([a, b], prepublishAt).map((k) => k.kid)).toEqual(["a", "b"]);

    const switched = plus(ROTATE_AFTER_MS);
    expect(signingKeyAt([a, b], switched)?.kid).toBe("b");
    expect(publishedKeysAt([a, b], switched).map((k) => k.kid)).toEqual(["a", "b"]);
    const later = plus(ROTATE_AFTER_MS + RETAIN_AFTER_REPLACED_MS);
    expect(publishedKeysAt([a, b], later).map((k) => k.kid)).toEqual(["b"]);
  });

  it("a retired key neither signs nor is published", () => {
    const a = key("a", t0, plus(1000));
    expect(signingKeyAt([a], plus(2000))).toBeNull();
    expect(publishedKeysAt([a], plus(2000))).toEqual([]);
    expect(keyToCreate([a], plus(2000))).toEqual({ activatesAt: plus(2000) });
  });

  it("a key overdue for rotation (nothing ran for weeks) is replaced at once", () => {
    const a = key("a", t0);
    const late = plus(ROTATE_AFTER_MS * 3);
    expect(keyToCreate([a], late)).toEqual({ activatesAt: late });
  });
});
