// API keys as strings: "acc_" and 43 base64url characters (256 random bits).
// Only the SHA-256 of the whole key is stored. A slow password hash would add
// milliseconds to every request and protect nothing: a guess at 256 random
// bits is hopeless whatever the hash.
import { hash, randomBytes } from "node:crypto";

export const API_KEY_PREFIX = "acc_";
const KEY_PATTERN = /^acc_[A-Za-z0-9_-]{43}$/;
/** How much of a key the admin page shows: the prefix and 8 characters. */
const DISPLAY_LENGTH = API_KEY_PREFIX.length + 8;

export interface MintedApiKey {
  /** The key itself: shown once, never stored. */
  key: string;
  secretSha256: string;
  displayPrefix: string;
}

// Node's one-shot hash: a third of createHash's time on a key (every keyed request hashes one).
export function apiKeySha256(key: string): string {
  return hash("sha256", key, "hex");
}

export function mintApiKey(): MintedApiKey {
  const key = `${API_KEY_PREFIX}${randomBytes(32).toString("base64url")}`;
  return { key, secretSha256: apiKeySha256(key), displayPrefix: key.slice(0, DISPLAY_LENGTH) };
}

export function isWellFormedApiKey(value: string): boolean {
  return KEY_PATTERN.test(value);
}

/**
 * The key from `Authorization: Bearer <key>`; undefined when the header is
 * absent, null when it is present but not a bearer credential.
 */
export function bearerCredential(authorization: string | null): string | null | undefined {
  if (authorization === null) return undefined;
  const match = /^Bearer +(\S+) *$/i.exec(authorization);
  return match?.[1] ?? null;
}
