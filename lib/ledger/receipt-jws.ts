// The receipt's signature: a detached compact JWS (RFC 7515 Appendix F) made
// with the log key (EdDSA, `kid` = its key id) over the RFC 8785 canonical
// JSON of the receipt without its `signature` member. docs/ledger.md §15.
import { sign as cryptoSign, type KeyObject as NodeKeyObject } from "node:crypto";
import canonicalize from "canonicalize";
import { CompactSign, compactVerify, type CryptoKey, type KeyObject } from "jose";

function payloadOf(receipt: Record<string, unknown>): Uint8Array {
  const rest = { ...receipt };
  delete rest.signature;
  const text = canonicalize(rest);
  if (text === undefined) throw new Error("receipt cannot be canonicalised");
  return new TextEncoder().encode(text);
}

export async function signReceipt<T extends Record<string, unknown>>(
  receipt: T,
  key: KeyObject | CryptoKey,
  kid: string,
): Promise<T & { signature: string }> {
  const jws = await new CompactSign(payloadOf(receipt)).setProtectedHeader({ alg: "EdDSA", kid }).sign(key);
  const [header, , signature] = jws.split(".");
  return { ...receipt, signature: `${header}..${signature}` };
}

/** The JWS header's kid when the signature verifies with `key`, else null. */
export async function verifyReceiptSignature(
  receipt: Record<string, unknown>,
  key: KeyObject | CryptoKey,
): Promise<string | null> {
  const detached = typeof receipt.signature === "string" ? receipt.signature : "";
  const [header, empty, signature] = detached.split(".");
  if (!header || empty !== "" || !signature) return null;
  const payload = Buffer.from(payloadOf(receipt)).toString("base64url");
  try {
    const { protectedHeader } = await compactVerify(`${header}.${payload}.${signature}`, key, {
      algorithms: ["EdDSA"],
    });
    return protectedHeader.kid ?? null;
  } catch {
    return null;
  }
}

/** RFC 8785 canonical JSON of a receipt, by the `canonicalize` library (as signReceipt). */
export function canonicalJson(value: Record<string, unknown>): string {
  const text = canonicalize(value);
  if (text === undefined) throw new Error("receipt cannot be canonicalised");
  return text;
}

/**
 * A signer for many receipts with one key (the data export signs one per
 * event): the same detached JWS as signReceipt, byte for byte (Ed25519 is
 * deterministic), but synchronous, with the protected header encoded once,
 * one canonical JSON text per receipt (canonicalJson) and the signing input written into
 * buffers reused from one receipt to the next instead of jose's fresh
 * strings and arrays (the full compact JWS, its payload part) per call.
 * `receipt` must not hold a `signature` member: it is what is signed.
 */
export function receiptSigner(key: NodeKeyObject, kid: string) {
  const header = Buffer.from(JSON.stringify({ alg: "EdDSA", kid })).toString("base64url");
  let payload = Buffer.allocUnsafe(16 * 1024);
  let input = Buffer.allocUnsafe(24 * 1024);
  return function sign<T extends Record<string, unknown>>(receipt: T): T & { signature: string } {
    if ("signature" in receipt) throw new Error("receipt is already signed");
    const text = canonicalJson(receipt);
    if (payload.length < text.length * 3) payload = Buffer.allocUnsafe(text.length * 3);
    const encoded = payload.toString("base64url", 0, payload.write(text, "utf8"));
    const length = header.length + 1 + encoded.length;
    if (input.length < length) input = Buffer.allocUnsafe(length * 2);
    input.write(header, 0, "latin1");
    input[header.length] = 0x2e; // "."
    input.write(encoded, header.length + 1, "latin1");
    const signature = cryptoSign(null, input.subarray(0, length), key).toString("base64url");
    // Not `{ ...receipt, signature }`: on Node 20's V8 a spread followed by a
    // new member gives every result a hidden class of its own; with the data
    // export's other two such spreads that kept about 2 KB per event alive past
    // the young generation (docs/benchmarks.md, "People's rights").
    return Object.assign({}, receipt, { signature: `${header}..${signature}` });
  };
}
