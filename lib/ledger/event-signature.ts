// The log key's signature on each event's content, made by the app before the
// append (docs/ledger.md §11). It is the app's promise that the event is real:
// the sequencer puts only signed events into the log, so a row written into
// the table by anyone without the key (a plain INSERT, even with a correct
// hash) never gets a leaf, and the subject holding the signed event can show
// that the log owes it a leaf. Pure.
import { sign, verify } from "node:crypto";
import { promisify } from "node:util";
import { canonicalContent, type EventContent } from "@/lib/ledger/event-hash";
import type { NoteSigner, NoteVerifier } from "@/lib/ledger/note";

export const EVENT_SIGNATURE_CONTEXT = "accord-event-signature/v1\n";

function message(content: EventContent): Buffer {
  return Buffer.from(EVENT_SIGNATURE_CONTEXT + canonicalContent(content), "utf8");
}

/** Base64 Ed25519 signature over the event's content. */
export function signEventContent(content: EventContent, signer: NoteSigner): string {
  return sign(null, message(content), signer.privateKey).toString("base64");
}

export function verifyEventSignature(
  content: EventContent,
  signature: string | null,
  verifier: Pick<NoteVerifier, "publicKey">,
): boolean {
  if (!signature) return false;
  const bytes = Buffer.from(signature, "base64");
  return bytes.length === 64 && verify(null, message(content), verifier.publicKey, bytes);
}

const verifyInThreadPool = promisify(verify);

/**
 * The same check, run in libuv's thread pool (crypto.verify with a callback),
 * so a batch of signatures is verified on every core at once: the sequencer
 * checks thousands per run (docs/benchmarks.md).
 */
export async function verifyEventSignatureAsync(
  content: EventContent,
  signature: string | null,
  verifier: Pick<NoteVerifier, "publicKey">,
): Promise<boolean> {
  if (!signature) return false;
  const bytes = Buffer.from(signature, "base64");
  return bytes.length === 64 && verifyInThreadPool(null, message(content), verifier.publicKey, bytes);
}
