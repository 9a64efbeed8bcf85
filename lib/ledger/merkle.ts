// Merkle tree hash of RFC 6962 §2.1 (Certificate Transparency), over the
// ledger's event hashes: leaf = SHA-256(0x00 || leaf), node = SHA-256(0x01 ||
// left || right), split at the largest power of two below n. Pure: the server,
// the offline verifier and the tests share it.
import { createHash } from "node:crypto";

const LEAF = Buffer.from([0]);
const NODE = Buffer.from([1]);

function sha256(...parts: Buffer[]): Buffer {
  const h = createHash("sha256");
  for (const part of parts) h.update(part);
  return h.digest();
}

function largestPowerOfTwoBelow(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

function treeHash(leaves: Buffer[], from: number, to: number): Buffer {
  const n = to - from;
  if (n === 1) return sha256(LEAF, leaves[from] as Buffer);
  const k = largestPowerOfTwoBelow(n);
  return sha256(NODE, treeHash(leaves, from, from + k), treeHash(leaves, from + k, to));
}

/** Root (hex) over the given leaf hashes (hex), in order. The empty tree's root is SHA-256(""). */
export function merkleRoot(leafHashesHex: readonly string[]): string {
  if (leafHashesHex.length === 0) return sha256().toString("hex");
  const leaves = leafHashesHex.map((hex) => Buffer.from(hex, "hex"));
  return treeHash(leaves, 0, leaves.length).toString("hex");
}
