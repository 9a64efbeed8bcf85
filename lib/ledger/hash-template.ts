// The event hash computed inside Postgres, so an append is one statement: the
// canonical JSON (docs/ledger.md) is made here with everything but `prevHash`
// and `seq`, which only the locked chain head knows, and split around them.
// The database concatenates a || prevHash || b || seq || c and hashes the
// UTF-8 bytes: byte for byte what eventHash() hashes (tested on hostile input).
import { GENESIS_HASH, canonicalEvent, type HashedEventFields } from "@/lib/ledger/event-hash";

export interface HashTemplate {
  a: string;
  b: string;
  c: string;
}

const PREV_MARK = `"prevHash":"${GENESIS_HASH}"`;
const SEQ_MARK = `,"seq":0,"subjectId":`;

function onlyIndexOf(text: string, mark: string): number {
  const at = text.indexOf(mark);
  // Inside a JSON string every `"` is escaped, so a mark made of bare quotes
  // can only be the key itself; checked anyway rather than assumed.
  if (at < 0 || text.lastIndexOf(mark) !== at) throw new Error(`canonical event: ${mark} not unique`);
  return at;
}

export function hashTemplate(fields: Omit<HashedEventFields, "seq" | "prevHash">): HashTemplate {
  const text = canonicalEvent({ ...fields, seq: 0, prevHash: GENESIS_HASH });
  const prevAt = onlyIndexOf(text, PREV_MARK);
  const seqAt = onlyIndexOf(text, SEQ_MARK);
  const a = text.slice(0, prevAt + `"prevHash":"`.length);
  const b = text.slice(prevAt + PREV_MARK.length - 1, seqAt + `,"seq":`.length);
  const c = text.slice(seqAt + `,"seq":0`.length);
  return { a, b, c };
}

/** What the database computes, in JS: for tests and for the verifier's sake. */
export function fillTemplate(template: HashTemplate, prevHash: string, seq: number): string {
  return `${template.a}${prevHash}${template.b}${seq}${template.c}`;
}
