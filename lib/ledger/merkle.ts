// The Merkle tree of RFC 9162 §2.1 (Certificate Transparency v2, same hashing
// as RFC 6962): leaf = SHA-256(0x00 || entry), node = SHA-256(0x01 || left ||
// right), a tree of n > 1 leaves splits at the largest power of two below n.
// Pure: the server, the offline verifiers, the witness and the tests share it.
//
// Two views of one tree:
// - ranges: MTH(D[a:b]) of any range a proof needs is made of the complete,
//   aligned subtrees ("nodes" (level, index) covering leaves
//   [index·2^level, (index+1)·2^level)) that `rangeNodes` lists, so a store of
//   node hashes answers every root and proof without reading the leaves;
// - streams: `TreeBuilder` computes the root of leaves (or aligned subtrees)
//   arriving in order with O(log n) memory.
import { createHash } from "node:crypto";

export type Hash = Buffer;

const LEAF_PREFIX = Buffer.from([0]);
const NODE_PREFIX = Buffer.from([1]);

export function sha256(...parts: Uint8Array[]): Hash {
  const h = createHash("sha256");
  for (const part of parts) h.update(part);
  return h.digest();
}

/** The empty tree's root: SHA-256 of nothing. */
export const EMPTY_ROOT: Hash = sha256();

export function leafHash(entry: Uint8Array): Hash {
  return sha256(LEAF_PREFIX, entry);
}

export function nodeHash(left: Uint8Array, right: Uint8Array): Hash {
  return sha256(NODE_PREFIX, left, right);
}

/** The largest power of two strictly below n (n > 1). */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** A complete subtree: leaves [index·2^level, (index+1)·2^level). */
export interface NodeId {
  level: number;
  index: number;
}

/**
 * The complete subtrees that make up leaves [a, b), left to right: at each
 * step the largest aligned block that fits. Folding their hashes from the
 * right (`foldRight`) gives MTH(D[a:b]) whenever a is a multiple of the
 * largest power of two not above b − a, which holds for every range of a
 * root or an RFC 9162 proof.
 */
export function rangeNodes(a: number, b: number): NodeId[] {
  const nodes: NodeId[] = [];
  let at = a;
  while (at < b) {
    let level = 0;
    while (at % 2 ** (level + 1) === 0 && at + 2 ** (level + 1) <= b) level += 1;
    nodes.push({ level, index: at / 2 ** level });
    at += 2 ** level;
  }
  return nodes;
}

/** Combines the subtree hashes of a range, rightmost first: H(h0, H(h1, … H(hk−1, hk))). */
export function foldRight(hashes: readonly Hash[]): Hash {
  if (hashes.length === 0) return EMPTY_ROOT;
  let acc = hashes[hashes.length - 1] as Hash;
  for (let i = hashes.length - 2; i >= 0; i--) acc = nodeHash(hashes[i] as Hash, acc);
  return acc;
}

/** A leaf range [a, b) whose MTH a proof needs. */
export interface Range {
  a: number;
  b: number;
}

/** RFC 9162 §2.1.3.1 PATH(m, D[0:n]): the ranges of an inclusion proof, deepest first. */
export function inclusionRanges(m: number, n: number): Range[] {
  if (!(Number.isSafeInteger(m) && Number.isSafeInteger(n) && m >= 0 && m < n))
    throw new RangeError(`no inclusion proof for leaf ${m} in a tree of ${n}`);
  const out: Range[] = [];
  const path = (leaf: number, from: number, to: number) => {
    const size = to - from;
    if (size <= 1) return;
    const k = splitPoint(size);
    if (leaf < k) {
      path(leaf, from, from + k);
      out.push({ a: from + k, b: to });
    } else {
      path(leaf - k, from + k, to);
      out.push({ a: from, b: from + k });
    }
  };
  path(m, 0, n);
  return out;
}

/** RFC 9162 §2.1.4.1 PROOF(m, D[0:n]): the ranges of a consistency proof. */
export function consistencyRanges(m: number, n: number): Range[] {
  if (!(Number.isSafeInteger(m) && Number.isSafeInteger(n) && m >= 0 && m <= n))
    throw new RangeError(`no consistency proof from ${m} to ${n}`);
  const out: Range[] = [];
  if (m === 0 || m === n) return out;
  const subproof = (size1: number, from: number, to: number, complete: boolean) => {
    const size = to - from;
    if (size1 === size) {
      if (!complete) out.push({ a: from, b: to });
      return;
    }
    const k = splitPoint(size);
    if (size1 <= k) {
      subproof(size1, from, from + k, complete);
      out.push({ a: from + k, b: to });
    } else {
      subproof(size1 - k, from + k, to, false);
      out.push({ a: from, b: from + k });
    }
  };
  subproof(m, 0, n, true);
  return out;
}

/** The RFC 9162 root of entries (raw bytes), for small trees and tests. */
export function rootOfEntries(entries: readonly Uint8Array[]): Hash {
  const builder = new TreeBuilder();
  for (const entry of entries) builder.addLeafHash(leafHash(entry));
  return builder.root();
}

/**
 * Streams a tree: leaves (or aligned complete subtrees, as a filtered export
 * supplies for the leaves it leaves out) arrive in order, and the root of
 * what has arrived so far is known at any time. Keeps one hash per set bit
 * of the size: O(log n) memory for any number of leaves.
 */
export class TreeBuilder {
  /** Complete subtrees of the size so far, largest (leftmost) first. */
  private readonly stack: { level: number; hash: Hash }[] = [];
  private count = 0;

  get size(): number {
    return this.count;
  }

  addLeafHash(hash: Hash): void {
    this.addSubtree(0, hash);
  }

  /** Adds 2^level leaves at once; the size so far must be a multiple of 2^level. */
  addSubtree(level: number, hash: Hash): void {
    if (this.count % 2 ** level !== 0)
      throw new RangeError(`a subtree of level ${level} cannot start at leaf ${this.count}`);
    let current = { level, hash };
    for (let top = this.stack.at(-1); top && top.level === current.level; top = this.stack.at(-1)) {
      this.stack.pop();
      current = { level: current.level + 1, hash: nodeHash(top.hash, current.hash) };
    }
    this.stack.push(current);
    this.count += 2 ** level;
  }

  root(): Hash {
    return foldRight(this.stack.map((entry) => entry.hash));
  }
}

/**
 * RFC 9162 §2.1.3.2: the root an inclusion proof leads to, or null when the
 * proof has the wrong length for (index, size).
 */
export function rootFromInclusionProof(
  index: number,
  size: number,
  leaf: Hash,
  proof: readonly Hash[],
): Hash | null {
  if (!(Number.isSafeInteger(index) && Number.isSafeInteger(size) && index >= 0 && index < size)) return null;
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  for (const p of proof) {
    if (sn === 0) return null;
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 ? r : null;
}

export function verifyInclusion(
  index: number,
  size: number,
  leaf: Hash,
  proof: readonly Hash[],
  root: Hash,
): boolean {
  const computed = rootFromInclusionProof(index, size, leaf, proof);
  return computed !== null && computed.equals(root);
}

/** RFC 9162 §2.1.4.2: does `proof` show that the tree (size2, root2) extends (size1, root1)? */
export function verifyConsistency(
  size1: number,
  size2: number,
  root1: Hash,
  root2: Hash,
  proof: readonly Hash[],
): boolean {
  if (!(Number.isSafeInteger(size1) && Number.isSafeInteger(size2) && size1 >= 0 && size1 <= size2))
    return false;
  if (size1 === size2) return proof.length === 0 && root1.equals(root2);
  if (size1 === 0) return proof.length === 0;
  if (proof.length === 0) return false;
  const path = isPowerOfTwo(size1) ? [root1, ...proof] : [...proof];
  let fn = size1 - 1;
  let sn = size2 - 1;
  while (fn % 2 === 1) {
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  let fr = path[0] as Hash;
  let sr = path[0] as Hash;
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return fr.equals(root1) && sr.equals(root2) && sn === 0;
}

function isPowerOfTwo(n: number): boolean {
  return n > 0 && 2 ** Math.round(Math.log2(n)) === n;
}

/** Root (hex) over the given leaf entries (hex), in order: the v1 range checkpoints' root (docs/ledger.md §9). */
export function merkleRoot(leafEntriesHex: readonly string[]): string {
  const builder = new TreeBuilder();
  for (const hex of leafEntriesHex) builder.addLeafHash(leafHash(Buffer.from(hex, "hex")));
  return builder.root().toString("hex");
}
