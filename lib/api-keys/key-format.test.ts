import { describe, expect, it } from "vitest";
import { apiKeySha256, bearerCredential, isWellFormedApiKey, mintApiKey } from "./key-format";

describe("API key format", () => {
  it("mints acc_ keys of 256 random bits, stores only their SHA-256", () => {
    const minted = mintApiKey();
    expect(minted.key).toMatch(/^acc_[A-Za-z0-9_-]{43}$/);
    expect(isWellFormedApiKey(minted.key)).toBe(true);
    expect(minted.secretSha256).toBe(apiKeySha256(minted.key));
    expect(minted.secretSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(minted.displayPrefix).toBe(minted.key.slice(0, 12));
    expect(mintApiKey().key).not.toBe(minted.key);
  });

  it("hashes the key's UTF-8 bytes (fixed vector)", () => {
    expect(apiKeySha256("acc_test")).toBe("d6187c8a6882842bd057f4fe48bbfa820792fd03eb9b091ef4739b7a036f8653");
  });

  it("reads bearer credentials and tells absent from malformed", () => {
    expect(bearerCredential(null)).toBeUndefined();
    expect(bearerCredential("Bearer acc_abc")).toBe("acc_abc");
    expect(bearerCredential("bearer  acc_abc ")).toBe("acc_abc");
    expect(bearerCredential("Basic dXNlcjpwYXNz")).toBeNull();
    expect(bearerCredential("Bearer")).toBeNull();
    expect(isWellFormedApiKey("acc_short")).toBe(false);
  });
});
