// Secrets Accord must be able to read back (webhook signing secrets, the
// private halves of token signing keys) are stored sealed: AES-256-GCM under
// a key from the environment, never in the clear. The context label is
// authenticated too, so a sealed value cannot be moved to another row.
//
//   sealed = "v1." kekId "." base64url(iv) "." base64url(ciphertext || tag)
//
// kekId names the sealing key (first 8 hex digits of SHA-256 of it), so a
// value sealed under another key is reported as such instead of as garbage.
import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from "node:crypto";

export class SealError extends Error {}

export interface Sealer {
  readonly kekId: string;
  seal(plaintext: Uint8Array | string, context: string): string;
  open(sealed: string, context: string): Buffer;
}

/**
 * A sealer for a key. `secret` is SEALING_KEY, or NEXTAUTH_SECRET when that is
 * unset; HKDF separates the derived key from the secret's other uses.
 */
export function createSealer(secret: string): Sealer {
  const key = Buffer.from(
    hkdfSync("sha256", Buffer.from(secret, "utf8"), Buffer.alloc(0), "accord/sealed-secrets/v1", 32),
  );
  const kekId = createHash("sha256").update(key).digest("hex").slice(0, 8);
  return {
    kekId,
    seal(plaintext, context) {
      const iv = randomBytes(12);
      const cipher = createCipheriv("aes-256-gcm", key, iv);
      cipher.setAAD(Buffer.from(context, "utf8"));
      const data = typeof plaintext === "string" ? Buffer.from(plaintext, "utf8") : plaintext;
      const body = Buffer.concat([cipher.update(data), cipher.final(), cipher.getAuthTag()]);
      return `v1.${kekId}.${iv.toString("base64url")}.${body.toString("base64url")}`;
    },
    open(sealed, context) {
      const [version, id, iv, body] = sealed.split(".");
      if (version !== "v1" || !id || !iv || !body) throw new SealError("not a sealed value");
      if (id !== kekId) throw new SealError(`sealed under another key (${id}, this one is ${kekId})`);
      const bytes = Buffer.from(body, "base64url");
      const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
      decipher.setAAD(Buffer.from(context, "utf8"));
      decipher.setAuthTag(bytes.subarray(bytes.length - 16));
      try {
        return Buffer.concat([decipher.update(bytes.subarray(0, bytes.length - 16)), decipher.final()]);
      } catch {
        throw new SealError("sealed value was altered, or belongs to another context");
      }
    },
  };
}
