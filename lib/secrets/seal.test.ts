import { describe, expect, it } from "vitest";
import { SealError, createSealer } from "./seal";

describe("sealed secrets", () => {
  const sealer = createSealer("x".repeat(32));

  it("round-trips, with a fresh nonce each time", () => {
    const a = sealer.seal("whsec_secret", "webhook:1");
    const b = sealer.seal("whsec_secret", "webhook:1");
    expect(a).not.toBe(b);
    expect(a).toMatch(/^v1\.[0-9a-f]{8}\./);
    expect(a).not.toContain("whsec_secret");
    expect(sealer.open(a, "webhook:1").toString()).toBe("whsec_secret");
  });

  it("refuses another context, another key and any altered byte", () => {
    const sealed = sealer.seal("secret", "webhook:1");
    expect(() => sealer.open(sealed, "webhook:2")).toThrow(SealError);
    expect(() => createSealer("y".repeat(32)).open(sealed, "webhook:1")).toThrow(/another key/);
    const parts = sealed.split(".");
    const body = Buffer.from(parts[3]!, "base64url");
    body[0]! ^= 1;
    parts[3] = body.toString("base64url");
    expect(() => sealer.open(parts.join("."), "webhook:1")).toThrow(SealError);
    expect(() => sealer.open("garbage", "webhook:1")).toThrow(/not a sealed value/);
  });
});
