import { describe, expect, it } from "vitest";
import { formatDate, formatDateTime } from "@/lib/format";

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
