// The log's checkpoint text (c2sp.org/tlog-checkpoint): origin, tree size,
// base64 root hash, then one extension line with the signing time. Signed as
// a note (note.ts) by the log key. docs/ledger.md §12.
import { NoteError } from "@/lib/ledger/note";

export interface CheckpointBody {
  origin: string;
  size: number;
  root: Buffer;
  /** When the log signed it (whole seconds in the text). */
  time: Date;
}

export function formatCheckpointText(body: CheckpointBody): string {
  const seconds = Math.floor(body.time.getTime() / 1000);
  return `${body.origin}\n${body.size}\n${body.root.toString("base64")}\ntime ${seconds}\n`;
}

export function parseCheckpointText(text: string): CheckpointBody {
  const lines = text.split("\n");
  const [origin = "", size = "", root = "", ...rest] = lines;
  const rootBytes = Buffer.from(root, "base64");
  if (
    !origin ||
    !/^(0|[1-9][0-9]*)$/.test(size) ||
    rootBytes.length !== 32 ||
    rootBytes.toString("base64") !== root
  )
    throw new NoteError("malformed checkpoint");
  const timeLine = rest.find((line) => line.startsWith("time "));
  const seconds = timeLine ? Number(timeLine.slice(5)) : NaN;
  return {
    origin,
    size: Number(size),
    root: rootBytes,
    time: new Date(Number.isSafeInteger(seconds) ? seconds * 1000 : 0),
  };
}
