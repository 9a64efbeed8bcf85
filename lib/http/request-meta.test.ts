import { describe, expect, it } from "vitest";
import { requestMetaFrom, truncateIp, MAX_USER_AGENT_LENGTH } from "@/lib/http/request-meta";
import { CLIENT_ADDRESS_HEADER } from "@/lib/server/internal-headers";

/** A header value as Node's HTTP parser hands it over: one character per byte. */
const onTheWire = (text: string) => Buffer.from(text, "utf8").toString("latin1");

describe("truncateIp", () => {
  it("keeps the network part of an address only, in RFC 5952 form", () => {
    expect(truncateIp("203.0.113.77")).toBe("203.0.113.0");
    expect(truncateIp("::ffff:198.51.100.9")).toBe("198.51.100.0");
    expect(truncateIp("2001:db8:85a3:8d3:1319:8a2e:370:7348")).toBe("2001:db8:85a3::");
    expect(truncateIp("2001:db8::1")).toBe("2001:db8::");
    expect(truncateIp("not an ip")).toBeNull();
    expect(truncateIp("127.1")).toBeNull();
    expect(truncateIp(undefined)).toBeNull();
  });

  it("drops an IPv6 zone id (finding 4: fe80::1%eth0 became fe80:0:0::)", () => {
    expect(truncateIp("fe80::1%eth0")).toBe("fe80::");
    expect(truncateIp("fe80::1%25eth0")).toBe("fe80::");
  });
});

describe("requestMetaFrom", () => {
  it("takes the address only from the custom server's header, never from X-Forwarded-For", () => {
    const forged = new Headers({
      "x-forwarded-for": "198.51.100.250",
      [CLIENT_ADDRESS_HEADER]: "203.0.113.7",
    });
    expect(requestMetaFrom(forged, true)).toMatchObject({ ip: "203.0.113.7", ipTruncated: "203.0.113.0" });
    // Not served by lib/server: nobody stripped the client's copy, so it is not believed.
    expect(requestMetaFrom(forged, false)).toMatchObject({ ip: "unknown", ipTruncated: null });
  });

  it("reads user agent, language and GPC", () => {
    const meta = requestMetaFrom(
      new Headers({
        [CLIENT_ADDRESS_HEADER]: "198.51.100.23",
        "user-agent": "Mozilla/5.0",
        "accept-language": "zh-CN,zh;q=0.9,en;q=0.8",
        "sec-gpc": "1",
      }),
      true,
    );
    expect(meta).toEqual({
      ip: "198.51.100.23",
      ipTruncated: "198.51.100.0",
      userAgent: "Mozilla/5.0",
      locale: "zh-CN",
      gpc: true,
    });
  });

  it("decodes UTF-8 header values (finding 5: Größe was stored as GrÃ¶Ãe) and keeps emoji whole", () => {
    const meta = requestMetaFrom(
      new Headers({ "user-agent": onTheWire("Größe 😀 Browser"), "accept-language": onTheWire("de-DE") }),
      true,
    );
    expect(meta.userAgent).toBe("Größe 😀 Browser");
    // Bytes that are not UTF-8 are read as Latin-1, HTTP's historical charset.
    expect(requestMetaFrom(new Headers({ "user-agent": "caf\xe9" }), true).userAgent).toBe("café");
  });

  it("cuts a long user agent at a character boundary, never through an emoji", () => {
    const agent = `${"a".repeat(MAX_USER_AGENT_LENGTH - 1)}😀😀`;
    const meta = requestMetaFrom(new Headers({ "user-agent": onTheWire(agent) }), true);
    expect(meta.userAgent).toBe(`${"a".repeat(MAX_USER_AGENT_LENGTH - 1)}😀`);
    expect(meta.userAgent).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  });

  it("records the most preferred valid BCP 47 tag (finding 5: ;q=1,de became null; 12,022 characters were stored)", () => {
    const locale = (value: string) => requestMetaFrom(new Headers({ "accept-language": value }), true).locale;
    expect(locale(";q=1,de")).toBe("de");
    expect(locale("fr;q=0.5,de-CH;q=0.9")).toBe("de-CH");
    expect(locale("en;q=0,de")).toBe("de");
    expect(locale("EN-us")).toBe("en-US");
    expect(locale(`${"x".repeat(12_022)},fr`)).toBe("fr");
    expect(locale("x".repeat(12_022))).toBeNull();
    expect(locale("*")).toBeNull();
  });

  it("treats anything but Sec-GPC: 1 as no signal", () => {
    expect(requestMetaFrom(new Headers({ "sec-gpc": "0" }), true).gpc).toBe(false);
    expect(requestMetaFrom(new Headers(), true).gpc).toBe(false);
  });
});
