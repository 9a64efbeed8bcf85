// The receipt's signature: a detached compact JWS (RFC 7515 Appendix F) made
// with the log key (EdDSA, `kid` = its key id) over the RFC 8785 canonical
// JSON of the receipt without its `signature` member. docs/ledger.md §15.
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
