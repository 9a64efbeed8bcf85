import { describe, expect, it } from "vitest";
import { newRequestReference, normaliseReference, REFERENCE_PATTERN } from "./reference";

describe("request references", () => {
  it("encodes 40 bits as 8 Crockford base-32 characters", () => {
    expect(newRequestReference(new Uint8Array([0, 0, 0, 0, 0]))).toBe("RQ-0000-0000");
    expect(newRequestReference(new Uint8Array([255, 255, 255, 255, 255]))).toBe("RQ-ZZZZ-ZZZZ");
    expect(newRequestReference(new Uint8Array([0, 0, 0, 0, 33]))).toBe("RQ-0000-0011");
  });

  it("never uses letters that are misread", () => {
    for (let i = 0; i < 200; i++) {
      const reference = newRequestReference();
      expect(reference).toMatch(REFERENCE_PATTERN);
      expect(reference.slice(3)).not.toMatch(/[ILOU]/);
    }
  });

  it("reads what people type back into the canonical form", () => {
    expect(normaliseReference("rq 7k3m 9qxp")).toBe("RQ-7K3M-9QXP");
    expect(normaliseReference("RQ-7K3M-9QXO")).toBe("RQ-7K3M-9QX0");
    expect(normaliseReference("il00-0000")).toBe("RQ-1100-0000");
    expect(normaliseReference("unusable")).toBe("unusable");
    expect(normaliseReference("RQ-7K3M-9QX")).toBe("RQ-7K3M-9QX");
  });
});
