import { describe, expect, it } from "vitest";
import { requestMetaFrom, truncateIp } from "@/lib/http/request-meta";

describe("truncateIp", () => {
  it("keeps the network part of an address only", () => {
    expect(truncateIp("203.0.113.77")).toBe("203.0.113.0");
    expect(truncateIp("::ffff:198.51.100.9")).toBe("198.51.100.0");
    expect(truncateIp("2001:db8:85a3:8d3:1319:8a2e:370:7348")).toBe("2001:db8:85a3::");
    expect(truncateIp("2001:db8::1")).toBe("2001:db8:0::");
    expect(truncateIp("not an ip")).toBeNull();
    expect(truncateIp(undefined)).toBeNull();
  });
});

describe("requestMetaFrom", () => {
  it("reads the first forwarded address, user agent, language and GPC", () => {
    const meta = requestMetaFrom(
      new Headers({
        "x-forwarded-for": "198.51.100.23, 10.0.0.1",
        "user-agent": "Mozilla/5.0",
        "accept-language": "zh-CN,zh;q=0.9,en;q=0.8",
        "sec-gpc": "1",
      }),
    );
    expect(meta).toEqual({
      ip: "198.51.100.23",
      ipTruncated: "198.51.100.0",
      userAgent: "Mozilla/5.0",
      locale: "zh-CN",
      gpc: true,
    });
  });

  it("treats anything but Sec-GPC: 1 as no signal", () => {
    expect(requestMetaFrom(new Headers({ "sec-gpc": "0" })).gpc).toBe(false);
    expect(requestMetaFrom(new Headers()).gpc).toBe(false);
  });
});
