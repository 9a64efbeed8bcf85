// Known-answer vectors for the log's formats, checked twice: with our code
// (lib/ledger/merkle.ts, note.ts, on node:crypto) and with an independent
// implementation written here from the RFC and C2SP texts on other libraries
// (@noble/hashes, @noble/curves), so a shared misreading cannot pass both.
import { ed25519 } from "@noble/curves/ed25519.js";
import { sha256 as nobleSha256 } from "@noble/hashes/sha2.js";
import { describe, expect, it } from "vitest";
import {
  consistencyRanges,
  foldRight,
  inclusionRanges,
  leafHash,
  rangeNodes,
  rootOfEntries,
  TreeBuilder,
  verifyConsistency,
  verifyInclusion,
  type Hash,
} from "@/lib/ledger/merkle";
import {
  cosignNoteText,
  formatVerifierKey,
  generateSignerKey,
  openNote,
  parseNote,
  parseSignerKey,
  parseVerifierKey,
  SIG_COSIGNATURE_V1,
  signNoteText,
  verifiedSignatures,
} from "@/lib/ledger/note";
import {
  signEventContent,
  verifyEventSignature,
  EVENT_SIGNATURE_CONTEXT,
} from "@/lib/ledger/event-signature";
import { canonicalContent } from "@/lib/ledger/event-hash";
import { receiptSigner, signReceipt, verifyReceiptSignature } from "@/lib/ledger/receipt-jws";

// ---------------------------------------------------------------------------
// The independent implementation.

const enc = new TextEncoder();
const concat = (...parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex");
const unhex = (text: string) => new Uint8Array(Buffer.from(text, "hex"));
const b64 = (text: string) => new Uint8Array(Buffer.from(text, "base64"));

/** RFC 9162 §2.1.1 MTH, by its recursive definition. */
function mth(entries: Uint8Array[]): Uint8Array {
  if (entries.length === 0) return nobleSha256(new Uint8Array());
  if (entries.length === 1) return nobleSha256(concat(new Uint8Array([0]), entries[0]!));
  let k = 1;
  while (k * 2 < entries.length) k *= 2;
  return nobleSha256(concat(new Uint8Array([1]), mth(entries.slice(0, k)), mth(entries.slice(k))));
}

/** RFC 9162 §2.1.3.1 PATH(m, D[n]). */
function path(m: number, entries: Uint8Array[]): Uint8Array[] {
  if (entries.length <= 1) return [];
  let k = 1;
  while (k * 2 < entries.length) k *= 2;
  return m < k
    ? [...path(m, entries.slice(0, k)), mth(entries.slice(k))]
    : [...path(m - k, entries.slice(k)), mth(entries.slice(0, k))];
}

/** RFC 9162 §2.1.4.1 SUBPROOF / PROOF. */
function subproof(m: number, entries: Uint8Array[], b: boolean): Uint8Array[] {
  if (m === entries.length) return b ? [] : [mth(entries)];
  let k = 1;
  while (k * 2 < entries.length) k *= 2;
  return m <= k
    ? [...subproof(m, entries.slice(0, k), b), mth(entries.slice(k))]
    : [...subproof(m - k, entries.slice(k), false), mth(entries.slice(0, k))];
}
const proof = (m: number, entries: Uint8Array[]) =>
  m === 0 || m === entries.length ? [] : subproof(m, entries, true);

/** C2SP signed-note key id. */
const keyId = (name: string, type: number, publicKey: Uint8Array) =>
  hex(nobleSha256(concat(enc.encode(name), new Uint8Array([0x0a, type]), publicKey)).slice(0, 4));

/** Checks a signed note's Ed25519 line for (name, public key) by the spec's rules. */
function nobleOpenNote(note: string, name: string, publicKey: Uint8Array): string | null {
  const split = note.lastIndexOf("\n\n");
  const text = note.slice(0, split + 1);
  for (const line of note
    .slice(split + 2)
    .split("\n")
    .filter(Boolean)) {
    const [dash, who, sig] = line.split(" ");
    if (dash !== "\u2014" || who !== name || !sig) continue;
    const bytes = b64(sig);
    if (hex(bytes.slice(0, 4)) !== keyId(name, 1, publicKey)) continue;
    return ed25519.verify(bytes.slice(4), enc.encode(text), publicKey) ? text : null;
  }
  return null;
}

// ---------------------------------------------------------------------------
// Vectors

// RFC 6962/9162 test vectors of Certificate Transparency's reference tests
// (transparency-dev/merkle): eight leaves, the root of each prefix, and proofs.
const LEAVES = [
  "",
  "00",
  "10",
  "2021",
  "3031",
  "40414243",
  "5051525354555657",
  "606162636465666768696a6b6c6d6e6f",
].map(unhex);
const ROOTS = [
  "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
  "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
  "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
  "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
  "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
  "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
  "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
  "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
];
const INCLUSION = [
  {
    leaf: 0,
    size: 8,
    proof: [
      "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
      "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
      "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
    ],
  },
  {
    leaf: 5,
    size: 8,
    proof: [
      "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
      "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
      "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    ],
  },
  { leaf: 2, size: 3, proof: ["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"] },
  {
    leaf: 1,
    size: 5,
    proof: [
      "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
      "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
      "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
    ],
  },
];
const CONSISTENCY = [
  {
    from: 1,
    to: 8,
    proof: [
      "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
      "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
      "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
    ],
  },
  {
    from: 6,
    to: 8,
    proof: [
      "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
      "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
      "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    ],
  },
  {
    from: 2,
    to: 5,
    proof: [
      "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
      "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
    ],
  },
  {
    from: 6,
    to: 7,
    proof: [
      "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
      "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
      "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    ],
  },
];

// Go's golang.org/x/mod/sumdb/note documentation example (Ed25519 is deterministic).
const GO_SKEY = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
const GO_VKEY = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
const GO_TEXT =
  "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
const GO_SIG =
  "\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=";

/** Our proof for a tree of `entries`, from a node store built by our streaming code. */
function ourProof(ranges: { a: number; b: number }[], entries: Uint8Array[]): Hash[] {
  const node = (level: number, index: number): Hash => {
    const builder = new TreeBuilder();
    for (const entry of entries.slice(index * 2 ** level, (index + 1) * 2 ** level))
      builder.addLeafHash(leafHash(entry));
    return builder.root();
  };
  return ranges.map(({ a, b }) => foldRight(rangeNodes(a, b).map((n) => node(n.level, n.index))));
}

describe("RFC 9162 Merkle tree vectors", () => {
  it("gives every prefix's root, in our code and in the independent one", () => {
    ROOTS.forEach((root, i) => {
      expect(rootOfEntries(LEAVES.slice(0, i + 1)).toString("hex")).toBe(root);
      expect(hex(mth(LEAVES.slice(0, i + 1)))).toBe(root);
    });
    expect(rootOfEntries([]).toString("hex")).toBe(hex(mth([])));
  });

  it("makes and verifies the inclusion proofs of the vectors; any change to them fails", () => {
    for (const vector of INCLUSION) {
      const entries = LEAVES.slice(0, vector.size);
      expect(
        ourProof(inclusionRanges(vector.leaf, vector.size), entries).map((h) => h.toString("hex")),
      ).toEqual(vector.proof);
      expect(path(vector.leaf, entries).map(hex)).toEqual(vector.proof);
      const root = Buffer.from(ROOTS[vector.size - 1]!, "hex");
      const leaf = leafHash(LEAVES[vector.leaf]!);
      const hashes = vector.proof.map((h) => Buffer.from(h, "hex"));
      expect(verifyInclusion(vector.leaf, vector.size, leaf, hashes, root)).toBe(true);
      expect(verifyInclusion(vector.leaf ^ 1, vector.size, leaf, hashes, root)).toBe(false);
      expect(verifyInclusion(vector.leaf, vector.size * 2, leaf, hashes, root)).toBe(false);
      expect(verifyInclusion(vector.leaf, vector.size, leaf, hashes.slice(1), root)).toBe(false);
      expect(verifyInclusion(vector.leaf, vector.size, leaf, [...hashes, root], root)).toBe(false);
      const flipped = hashes.map((h, i) =>
        i === 0 ? Buffer.from(h.map((b, j) => (j === 0 ? b ^ 8 : b))) : h,
      );
      expect(verifyInclusion(vector.leaf, vector.size, leaf, flipped, root)).toBe(false);
    }
  });

  it("makes and verifies the consistency proofs of the vectors; any change to them fails", () => {
    for (const vector of CONSISTENCY) {
      const entries = LEAVES.slice(0, vector.to);
      expect(
        ourProof(consistencyRanges(vector.from, vector.to), entries).map((h) => h.toString("hex")),
      ).toEqual(vector.proof);
      expect(proof(vector.from, entries).map(hex)).toEqual(vector.proof);
      const root1 = Buffer.from(ROOTS[vector.from - 1]!, "hex");
      const root2 = Buffer.from(ROOTS[vector.to - 1]!, "hex");
      const hashes = vector.proof.map((h) => Buffer.from(h, "hex"));
      expect(verifyConsistency(vector.from, vector.to, root1, root2, hashes)).toBe(true);
      expect(verifyConsistency(vector.from, vector.to, root2, root1, hashes)).toBe(false);
      expect(verifyConsistency(vector.from, vector.to, root1, root2, hashes.slice(0, -1))).toBe(false);
      expect(verifyConsistency(vector.from + 1, vector.to, root1, root2, hashes)).toBe(false);
      expect(verifyConsistency(vector.from, vector.to, root1, root2, [])).toBe(false);
    }
  });

  it("agrees with the independent implementation on every proof of trees up to 40 leaves", () => {
    const entries = Array.from({ length: 40 }, (_, i) => enc.encode(`entry ${i}`));
    for (let n = 1; n <= 40; n++) {
      const tree = entries.slice(0, n);
      const root = Buffer.from(mth(tree));
      for (let m = 0; m < n; m++) {
        const ours = ourProof(inclusionRanges(m, n), tree);
        expect(ours.map((h) => h.toString("hex"))).toEqual(path(m, tree).map(hex));
        expect(verifyInclusion(m, n, leafHash(tree[m]!), ours, root)).toBe(true);
      }
      for (let m = 1; m <= n; m++) {
        const ours = ourProof(consistencyRanges(m, n), tree);
        expect(ours.map((h) => h.toString("hex"))).toEqual(proof(m, tree).map(hex));
        expect(verifyConsistency(m, n, Buffer.from(mth(tree.slice(0, m))), root, ours)).toBe(true);
      }
    }
  });
});

describe("signed notes (C2SP signed-note, Go's sumdb/note vectors)", () => {
  it("reads the Go signer and verifier keys and reproduces the Go signature byte for byte", () => {
    const signer = parseSignerKey(GO_SKEY);
    expect(signer).toMatchObject({ name: "PeterNeumann", keyId: "c74f20a3" });
    expect(formatVerifierKey(signer)).toBe(GO_VKEY);
    expect(signNoteText(GO_TEXT, signer)).toBe(GO_SIG);
    const note = `${GO_TEXT}\n${GO_SIG}\n`;
    expect(openNote(note, parseVerifierKey(GO_VKEY)).text).toBe(GO_TEXT);
    // Independently: the key id from the public key, and the signature with @noble/curves.
    const publicKey = b64(GO_VKEY.split("+")[2]!).slice(1);
    const seed = b64(GO_SKEY.split("+").slice(4).join("+")).slice(1);
    expect(hex(ed25519.getPublicKey(seed))).toBe(hex(publicKey));
    expect(keyId("PeterNeumann", 1, publicKey)).toBe("c74f20a3");
    expect(nobleOpenNote(note, "PeterNeumann", publicKey)).toBe(GO_TEXT);
  });

  it("rejects a changed text or signature, and ignores unknown keys", () => {
    const verifier = parseVerifierKey(GO_VKEY);
    expect(() => openNote(`${GO_TEXT.replace("problem", "problems")}\n${GO_SIG}\n`, verifier)).toThrow();
    const other = parseSignerKey(generateSignerKey("example.com/other"));
    const note = parseNote(`${GO_TEXT}\n${signNoteText(GO_TEXT, other)}\n${GO_SIG}\n`);
    expect(verifiedSignatures(note, [verifier]).map((s) => s.name)).toEqual(["PeterNeumann"]);
    expect(() => parseNote(`${GO_TEXT}${GO_SIG}\n`)).toThrow();
  });

  it("makes cosignatures (tlog-cosignature v1) that the independent implementation verifies", () => {
    const witness = parseSignerKey(generateSignerKey("witness.example/w1", SIG_COSIGNATURE_V1));
    const text = "example.com/log\n7\nXYZ0ZXJwYWRkaW5nLXRvLTQ0LWNoYXJhY3RlcnMtbG9uZ3M=\n";
    const line = cosignNoteText(text, witness, new Date(1_679_315_147_000));
    const bytes = b64(line.split(" ")[2]!);
    expect(hex(bytes.slice(0, 4))).toBe(keyId("witness.example/w1", 4, witness.raw));
    expect(Buffer.from(bytes.slice(4, 12)).readBigUInt64BE()).toBe(1_679_315_147n);
    const message = enc.encode(`cosignature/v1\ntime 1679315147\n${text}`);
    expect(ed25519.verify(bytes.slice(12), message, witness.raw)).toBe(true);
    const note = parseNote(`${text}\n${line}\n`);
    expect(verifiedSignatures(note, [parseVerifierKey(formatVerifierKey(witness))])).toHaveLength(1);
  });
});

describe("event signatures and receipt signatures", () => {
  const signer = parseSignerKey(GO_SKEY);
  const content = {
    id: "6f1c9a52-3b0e-4c1d-9a8e-2f4b5c6d7e80",
    subjectId: "0b7e2f4a-1c3d-4e5f-8a9b-0c1d2e3f4a5b",
    action: "PURPOSE_GRANTED",
    versionId: "9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a",
    versionNumber: 1,
    purposeKey: "surveys",
    noticeSha256: "a".repeat(64),
    method: "WEB",
    recordedAt: "2026-11-29T10:00:00.000Z",
    ipTruncated: "203.0.113.0",
    userAgent: 'q"uote é 😀',
    locale: "en-GB",
    idempotencyKey: "web:1",
  };

  it("signs the event's canonical content, as the independent implementation checks it", () => {
    const signature = signEventContent(content, signer);
    expect(verifyEventSignature(content, signature, signer)).toBe(true);
    expect(verifyEventSignature({ ...content, method: "API" }, signature, signer)).toBe(false);
    const message = enc.encode(EVENT_SIGNATURE_CONTEXT + canonicalContent(content));
    expect(ed25519.verify(b64(signature), message, signer.raw)).toBe(true);
  });

  it("signs receipts with a detached JWS (EdDSA, kid) that the independent implementation checks", async () => {
    const receipt = await signReceipt(
      { consentReceiptID: content.id, evidence: { hash: "ab" }, z: [1, "é"] },
      signer.privateKey,
      signer.keyId,
    );
    expect(await verifyReceiptSignature(receipt, signer.publicKey)).toBe(signer.keyId);
    expect(await verifyReceiptSignature({ ...receipt, z: [2] }, signer.publicKey)).toBeNull();
    const [header, empty, signature] = receipt.signature.split(".");
    expect(empty).toBe("");
    expect(JSON.parse(Buffer.from(header!, "base64url").toString())).toEqual({
      alg: "EdDSA",
      kid: "c74f20a3",
    });
    // RFC 8785 by hand for this small object: keys sorted, no spaces.
    const payload = Buffer.from(
      '{"consentReceiptID":"6f1c9a52-3b0e-4c1d-9a8e-2f4b5c6d7e80","evidence":{"hash":"ab"},"z":[1,"é"]}',
    ).toString("base64url");
    const signingInput = enc.encode(`${header}.${payload}`);
    expect(
      ed25519.verify(new Uint8Array(Buffer.from(signature!, "base64url")), signingInput, signer.raw),
    ).toBe(true);
  });

  it("signs many receipts with one reused signer exactly as signReceipt does, buffer growth included", async () => {
    const sign = receiptSigner(signer.privateKey, signer.keyId);
    const receipts = [
      { consentReceiptID: content.id, evidence: { hash: "ab" }, z: [1, "é"] },
      { consentReceiptID: content.id, userAgent: 'q"uote é 😀', long: "x€".repeat(20_000) },
      { consentReceiptID: content.id, evidence: { hash: "cd", seq: 2 }, z: null },
    ];
    for (const receipt of receipts) {
      const signed = sign(receipt);
      expect(signed).toEqual(await signReceipt(receipt, signer.privateKey, signer.keyId));
      expect(await verifyReceiptSignature(signed, signer.publicKey)).toBe(signer.keyId);
    }
    expect(() => sign({ signature: "x" })).toThrow("already signed");
  });
});
