// A witness of the log (docs/ledger.md §16): keeps the last checkpoint it
// verified; each run checks the log's latest checkpoint against it (log
// signature, then an RFC 9162 consistency proof), cosigns it and hands the
// cosignature to the log. Pure but for the state folder and the log client,
// so the CLI (scripts/witness.ts) and the tests drive the same code.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { verifyConsistency } from "@/lib/ledger/merkle";
import {
  cosignNoteText,
  formatVerifierKey,
  generateSignerKey,
  NoteError,
  openNote,
  parseSignerKey,
  parseVerifierKey,
  SIG_COSIGNATURE_V1,
  type NoteVerifier,
} from "@/lib/ledger/note";
import { parseCheckpointText, type CheckpointBody } from "@/lib/ledger/tlog-checkpoint";

/** How the witness talks to a log: over HTTP in the CLI, directly in tests. */
export interface LogClient {
  /** The latest checkpoint note (cosignatures may follow the log's signature). */
  checkpoint(): Promise<string>;
  consistency(from: number, to: number): Promise<Buffer[]>;
  /** Hands the cosigned note to the log. */
  submit(cosigned: string): Promise<void>;
  /** The log's verifier key, for trust on first use. */
  verifierKey(): Promise<string>;
}

export type WitnessOutcome =
  | { status: "witnessed"; size: number; root: string; previousSize: number | null; submitted: boolean }
  | { status: "bad-signature" | "rollback" | "fork" | "error"; message: string };

/** Exit status of `npm run witness` for each outcome. */
export const EXIT_CODES: Record<WitnessOutcome["status"], number> = {
  witnessed: 0,
  error: 1,
  "bad-signature": 3,
  rollback: 4,
  fork: 5,
};

export interface WitnessOptions {
  stateDir: string;
  client: LogClient;
  /** The log's verifier key; pinned into the state on first use (else fetched then). */
  logKey?: string;
  /** The witness's own name for a new key (default: witness.accord.local/<folder name>). */
  name?: string;
  now?: Date;
}

function write(file: string, text: string) {
  const temporary = `${file}.tmp`;
  writeFileSync(temporary, text, { mode: 0o600 });
  renameSync(temporary, file);
}

/** The witness's cosigning key, made on first use. Returns its verifier key too. */
export function witnessKey(stateDir: string, name?: string) {
  mkdirSync(stateDir, { recursive: true });
  const file = path.join(stateDir, "witness.key");
  if (!existsSync(file)) {
    const keyName = name ?? `witness.accord.local/${path.basename(path.resolve(stateDir))}`;
    write(file, `${generateSignerKey(keyName, SIG_COSIGNATURE_V1)}\n`);
  }
  const signer = parseSignerKey(readFileSync(file, "utf8"));
  return { signer, verifierKey: formatVerifierKey(signer) };
}

export async function witnessOnce(options: WitnessOptions): Promise<WitnessOutcome> {
  const { stateDir, client } = options;
  const { signer } = witnessKey(stateDir, options.name);
  const keyFile = path.join(stateDir, "log.vkey");
  const checkpointFile = path.join(stateDir, "checkpoint");

  let logKey: NoteVerifier;
  try {
    if (!existsSync(keyFile)) write(keyFile, `${options.logKey ?? (await client.verifierKey())}\n`);
    logKey = parseVerifierKey(readFileSync(keyFile, "utf8"));
    if (options.logKey && formatVerifierKey(parseVerifierKey(options.logKey)) !== formatVerifierKey(logKey))
      return { status: "error", message: `the pinned log key in ${keyFile} is not the one given` };
  } catch (error) {
    return { status: "error", message: `cannot get the log's key: ${String(error)}` };
  }

  let latestNote: string;
  let latest: CheckpointBody;
  try {
    latestNote = await client.checkpoint();
  } catch (error) {
    return { status: "error", message: `cannot fetch the checkpoint: ${String(error)}` };
  }
  try {
    const opened = openNote(latestNote, logKey);
    latest = parseCheckpointText(opened.text);
    if (latest.origin !== logKey.name) throw new NoteError(`origin ${latest.origin} is not ${logKey.name}`);
  } catch (error) {
    return {
      status: "bad-signature",
      message: `the log's checkpoint does not verify with ${formatVerifierKey(logKey)}: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
  const text = openNote(latestNote, logKey).text;

  let previous: CheckpointBody | null = null;
  if (existsSync(checkpointFile)) {
    previous = parseCheckpointText(openNote(readFileSync(checkpointFile, "utf8"), logKey).text);
    if (latest.size < previous.size)
      return {
        status: "rollback",
        message: `ROLLBACK: the log shows ${latest.size} leaves, but this witness already saw ${previous.size} (root ${previous.root.toString("base64")})`,
      };
    if (latest.size === previous.size && !latest.root.equals(previous.root))
      return {
        status: "fork",
        message: `FORK: two roots for tree size ${latest.size}: ${previous.root.toString("base64")} seen before, ${latest.root.toString("base64")} now`,
      };
    if (latest.size > previous.size) {
      let proof: Buffer[];
      try {
        proof = await client.consistency(previous.size, latest.size);
      } catch (error) {
        return { status: "error", message: `cannot fetch the consistency proof: ${String(error)}` };
      }
      if (!verifyConsistency(previous.size, latest.size, previous.root, latest.root, proof))
        return {
          status: "fork",
          message: `FORK: the tree of ${latest.size} leaves does not extend the tree of ${previous.size} this witness saw: history was rewritten`,
        };
    }
  }

  // Keep only the log's own signature in the state; cosign its text.
  write(checkpointFile, `${text}\n${openNoteLine(latestNote, logKey)}\n`);
  const cosigned = `${text}\n${openNoteLine(latestNote, logKey)}\n${cosignNoteText(text, signer, options.now ?? new Date())}\n`;
  let submitted = true;
  try {
    await client.submit(cosigned);
  } catch {
    submitted = false;
  }
  return {
    status: "witnessed",
    size: latest.size,
    root: latest.root.toString("base64"),
    previousSize: previous?.size ?? null,
    submitted,
  };
}

function openNoteLine(note: string, key: NoteVerifier): string {
  const line = note
    .slice(note.lastIndexOf("\n\n") + 2)
    .split("\n")
    .find(
      (l) =>
        l.startsWith(`\u2014 ${key.name} `) &&
        Buffer.from(l.split(" ")[2] ?? "", "base64")
          .subarray(0, 4)
          .toString("hex") === key.keyId,
    );
  if (!line) throw new NoteError("the log's signature line is missing");
  return line;
}
