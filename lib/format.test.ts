import { describe, expect, it } from "vitest";
import { formatDate, formatDateTime, isoDate } from "@/lib/format";

const effective = new Date("2024-08-10T00:00:00.000Z");

describe("dates per language", () => {
  it("reads the same instant in English and in Chinese, in UTC", () => {
    expect(formatDate(effective)).toBe("10 August 2024");
    expect(formatDate(effective, "en")).toBe("10 August 2024");
    expect(formatDate(effective, "zh-CN")).toBe("2024年8月10日");
    expect(formatDate(new Date("2024-08-09T23:30:00Z"), "zh-CN")).toBe("2024年8月9日");
    expect(formatDateTime(new Date("2024-08-10T08:05:09Z"), "zh-CN")).toBe("2024年8月10日 08:05:09 UTC");
    expect(formatDate(null, "zh-CN")).toBe("—");
  });
});

describe("dates in the organisation's time zone", () => {
  it("reads an effective date where the organisation is, in the reader's language", () => {
    // Midnight of 2 December in Shanghai is still 1 December in UTC.
    const start = new Date("2026-12-01T16:00:00.000Z");
    expect(formatDate(start, "en")).toBe("1 December 2026");
    expect(formatDate(start, "en", "Asia/Shanghai")).toBe("2 December 2026");
    expect(formatDate(start, "zh-CN", "Asia/Shanghai")).toBe("2026年12月2日");
    expect(isoDate(start)).toBe("2026-12-01");
    expect(isoDate(start, "Asia/Shanghai")).toBe("2026-12-02");
  });
});
