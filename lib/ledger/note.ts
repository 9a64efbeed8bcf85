// C2SP signed notes (c2sp.org/signed-note), the key encodings of Go's
// golang.org/x/mod/sumdb/note, and Ed25519 witness cosignatures
// (c2sp.org/tlog-cosignature, type 0x04). Pure: the log, the witness, the
// verifiers and the receipts share it. docs/ledger.md §13 restates the rules.
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  randomBytes,
  sign,
  verify,
  type KeyObject,
} from "node:crypto";

export const SIG_ED25519 = 0x01;
export const SIG_COSIGNATURE_V1 = 0x04;
const EM_DASH = "\u2014";
const MAX_SIGNATURES = 100;
// The 16-byte PKCS#8 / SPKI prefixes that wrap a raw 32-byte Ed25519 key (RFC 8410).
const PKCS8_ED25519 = Buffer.from("302e020100300506032b657004220420", "hex");
const SPKI_ED25519 = Buffer.from("302a300506032b6570032100", "hex");

export class NoteError extends Error {}

/** A public key a note can be checked with. */
export interface NoteVerifier {
  name: string;
  /** 32-bit key id, big-endian, as 8 lowercase hex digits. */
  keyId: string;
  type: number;
  publicKey: KeyObject;
  /** Raw 32-byte Ed25519 public key. */
  raw: Buffer;
}

export interface NoteSigner extends NoteVerifier {
  privateKey: KeyObject;
}

export interface NoteSignature {
  name: string;
  keyId: string;
  /** The signature bytes after the key id. */
  bytes: Buffer;
  /** The whole line, without its newline. */
  line: string;
}

export interface Note {
  /** The signed text, ending in a newline. */
  text: string;
  signatures: NoteSignature[];
}

function validName(name: string): boolean {
  return name.length > 0 && !/[\s+]/u.test(name);
}

/** key ID = SHA-256(name || 0x0A || type || public key)[:4] */
export function keyIdOf(name: string, type: number, publicKey: Uint8Array): string {
  return createHash("sha256")
    .update(name)
    .update(Buffer.from([0x0a, type]))
    .update(publicKey)
    .digest()
    .subarray(0, 4)
    .toString("hex");
}

export function ed25519PublicKey(raw: Uint8Array): KeyObject {
  if (raw.length !== 32) throw new NoteError("an Ed25519 public key is 32 bytes");
  return createPublicKey({ key: Buffer.concat([SPKI_ED25519, raw]), format: "der", type: "spki" });
}

export function ed25519PrivateKey(seed: Uint8Array): { privateKey: KeyObject; raw: Buffer } {
  if (seed.length !== 32) throw new NoteError("an Ed25519 private key is a 32-byte seed");
  const privateKey = createPrivateKey({
    key: Buffer.concat([PKCS8_ED25519, seed]),
    format: "der",
    type: "pkcs8",
  });
  const spki = createPublicKey(privateKey).export({ format: "der", type: "spki" });
  return { privateKey, raw: Buffer.from(spki.subarray(SPKI_ED25519.length)) };
}

/** Verifier key text: `<name>+<key id hex>+<base64(type || public key)>`. */
export function formatVerifierKey(verifier: Pick<NoteVerifier, "name" | "keyId" | "type" | "raw">): string {
  return `${verifier.name}+${verifier.keyId}+${Buffer.concat([Buffer.from([verifier.type]), verifier.raw]).toString("base64")}`;
}

export function parseVerifierKey(text: string): NoteVerifier {
  const parts = text.trim().split("+");
  // The base64 part may itself contain "+": the name and id are the first two fields.
  const [name = "", keyId = ""] = parts;
  const material = Buffer.from(parts.slice(2).join("+"), "base64");
  if (!validName(name) || !/^[0-9a-f]{8}$/.test(keyId) || material.length !== 33)
    throw new NoteError("malformed verifier key");
  const type = material[0] as number;
  if (type !== SIG_ED25519 && type !== SIG_COSIGNATURE_V1)
    throw new NoteError(`unsupported verifier key type 0x${type.toString(16)}`);
  const raw = Buffer.from(material.subarray(1));
  if (keyIdOf(name, type, raw) !== keyId) throw new NoteError("verifier key id does not match its key");
  return { name, keyId, type, raw, publicKey: ed25519PublicKey(raw) };
}

/** Signer key text (Go's note format): `PRIVATE+KEY+<name>+<key id hex>+<base64(type || seed)>`. */
export function parseSignerKey(text: string): NoteSigner {
  const trimmed = text.trim();
  if (!trimmed.startsWith("PRIVATE+KEY+")) throw new NoteError("malformed signer key");
  const parts = trimmed.slice("PRIVATE+KEY+".length).split("+");
  const [name = "", keyId = ""] = parts;
  const material = Buffer.from(parts.slice(2).join("+"), "base64");
  if (!validName(name) || !/^[0-9a-f]{8}$/.test(keyId) || material.length !== 33)
    throw new NoteError("malformed signer key");
  const type = material[0] as number;
  if (type !== SIG_ED25519 && type !== SIG_COSIGNATURE_V1)
    throw new NoteError(`unsupported signer key type 0x${type.toString(16)}`);
  const { privateKey, raw } = ed25519PrivateKey(material.subarray(1));
  if (keyIdOf(name, type, raw) !== keyId) throw new NoteError("signer key id does not match its key");
  return { name, keyId, type, raw, privateKey, publicKey: createPublicKey(privateKey) };
}

export function formatSignerKey(name: string, type: number, seed: Uint8Array): string {
  const { raw } = ed25519PrivateKey(seed);
  const material = Buffer.concat([Buffer.from([type]), seed]).toString("base64");
  return `PRIVATE+KEY+${name}+${keyIdOf(name, type, raw)}+${material}`;
}

/** A new signer key text for `name` (type 0x01 for a log, 0x04 for a witness). */
export function generateSignerKey(name: string, type: number = SIG_ED25519): string {
  if (!validName(name)) throw new NoteError(`a key name cannot be empty or hold spaces or "+": ${name}`);
  return formatSignerKey(name, type, randomBytes(32));
}

function checkText(text: string): void {
  if (!text.endsWith("\n")) throw new NoteError("note text must end in a newline");
  if (/[\u0000-\u0009\u000b-\u001f]/.test(text)) throw new NoteError("note text has control characters");
}

function signatureLine(name: string, keyId: string, bytes: Uint8Array): string {
  return `${EM_DASH} ${name} ${Buffer.concat([Buffer.from(keyId, "hex"), bytes]).toString("base64")}`;
}

/** Signs `text` with an Ed25519 note key (type 0x01): the signature line, without newline. */
export function signNoteText(text: string, signer: NoteSigner): string {
  checkText(text);
  if (signer.type !== SIG_ED25519) throw new NoteError("not an Ed25519 note key");
  return signatureLine(signer.name, signer.keyId, sign(null, Buffer.from(text, "utf8"), signer.privateKey));
}

export function formatNote(note: Note): string {
  return `${note.text}\n${note.signatures.map((s) => `${s.line}\n`).join("")}`;
}

/** Splits a signed note into its text and signature lines; throws on a malformed note. */
export function parseNote(message: string): Note {
  const split = message.lastIndexOf("\n\n");
  if (split < 0) throw new NoteError("a signed note needs a blank line before its signatures");
  const text = message.slice(0, split + 1);
  checkText(text);
  const block = message.slice(split + 2);
  if (!block.endsWith("\n")) throw new NoteError("signature lines must end in a newline");
  const lines = block.slice(0, -1).split("\n");
  if (lines.length === 0 || lines.length > MAX_SIGNATURES)
    throw new NoteError("too few or too many signatures");
  const signatures = lines.map((line) => {
    const match = /^\u2014 (\S+) ([A-Za-z0-9+/=]+)$/.exec(line);
    const decoded = match ? Buffer.from(match[2] as string, "base64") : Buffer.alloc(0);
    if (!match || decoded.length < 5 || !validName(match[1] as string))
      throw new NoteError(`malformed signature line: ${line}`);
    return {
      name: match[1] as string,
      keyId: decoded.subarray(0, 4).toString("hex"),
      bytes: Buffer.from(decoded.subarray(4)),
      line,
    };
  });
  return { text, signatures };
}

/** Signatures made by one of `verifiers` and valid; throws if any known key's signature fails. */
export function verifiedSignatures(note: Note, verifiers: readonly NoteVerifier[]): NoteSignature[] {
  const good: NoteSignature[] = [];
  for (const signature of note.signatures) {
    const verifier = verifiers.find((v) => v.name === signature.name && v.keyId === signature.keyId);
    if (!verifier) continue;
    const ok =
      verifier.type === SIG_COSIGNATURE_V1
        ? cosignatureTime(note.text, signature, verifier) !== null
        : signature.bytes.length === 64 &&
          verify(null, Buffer.from(note.text, "utf8"), verifier.publicKey, signature.bytes);
    if (!ok) throw new NoteError(`the signature of ${signature.name} (${signature.keyId}) does not verify`);
    good.push(signature);
  }
  return good;
}

/** Opens a note: its text when a signature of `verifier` verifies, else throws. */
export function openNote(message: string, verifier: NoteVerifier): Note {
  const note = parseNote(message);
  if (verifiedSignatures(note, [verifier]).length === 0)
    throw new NoteError(`the note is not signed by ${verifier.name} (${verifier.keyId})`);
  return note;
}

// ---------------------------------------------------------------------------
// Cosignatures (tlog-cosignature v1, Ed25519): signature = u64 timestamp (big
// endian) || Ed25519 over "cosignature/v1\ntime <timestamp>\n" + checkpoint text.

function cosignedMessage(text: string, timestamp: bigint): Buffer {
  return Buffer.from(`cosignature/v1\ntime ${timestamp.toString()}\n${text}`, "utf8");
}

export function cosignNoteText(text: string, signer: NoteSigner, at: Date): string {
  checkText(text);
  if (signer.type !== SIG_COSIGNATURE_V1) throw new NoteError("not a cosignature key (type 0x04)");
  const timestamp = BigInt(Math.floor(at.getTime() / 1000));
  const stamp = Buffer.alloc(8);
  stamp.writeBigUInt64BE(timestamp);
  const signature = sign(null, cosignedMessage(text, timestamp), signer.privateKey);
  return signatureLine(signer.name, signer.keyId, Buffer.concat([stamp, signature]));
}

/** The time a valid cosignature states, or null when it does not verify. */
export function cosignatureTime(text: string, signature: NoteSignature, verifier: NoteVerifier): Date | null {
  if (verifier.type !== SIG_COSIGNATURE_V1 || signature.bytes.length !== 72) return null;
  const timestamp = signature.bytes.readBigUInt64BE(0);
  const ok = verify(null, cosignedMessage(text, timestamp), verifier.publicKey, signature.bytes.subarray(8));
  return ok ? new Date(Number(timestamp) * 1000) : null;
}
