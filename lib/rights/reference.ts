// Request references the user can read out on the phone: "RQ-" and 8
// characters of Crockford's base 32 (no I, L, O or U, so nothing is misread).
// 40 random bits: guessing one is hopeless, and a reference alone opens
// nothing (the status page is the owner's, behind sign-in).
import { randomBytes } from "node:crypto";

const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

export const REFERENCE_PATTERN = /^RQ-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/;

export function newRequestReference(bytes: Uint8Array = randomBytes(5)): string {
  let bits = 0n;
  for (const byte of bytes.subarray(0, 5)) bits = (bits << 8n) | BigInt(byte);
  let chars = "";
  for (let i = 0; i < 8; i++) {
    chars = ALPHABET[Number(bits & 31n)] + chars;
    bits >>= 5n;
  }
  return `RQ-${chars.slice(0, 4)}-${chars.slice(4)}`;
}

/** Accepts what people type: lower case, spaces, and the letters Crockford reads as digits. */
export function normaliseReference(input: string): string {
  const compact = input
    .toUpperCase()
    .replace(/[\s-]/g, "")
    .replace(/^RQ/, "")
    .replace(/[IL]/g, "1")
    .replace(/O/g, "0");
  const canonical = `RQ-${compact.slice(0, 4)}-${compact.slice(4)}`;
  return REFERENCE_PATTERN.test(canonical) ? canonical : input;
}
