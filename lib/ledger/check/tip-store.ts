// The chain walk's memory: the last event seen of every chain it remembers,
// packed into typed arrays, one slot per subject. A tip changes with every
// event; as an object (and its id and hash strings) each one lived long enough
// to be promoted to V8's old generation and died there, so the verifier's heap
// churned with the number of events rather than of subjects. Packed, an event
// leaves only short-lived garbage behind. Values that do not pack (an id or a
// hash not in canonical lowercase form, as a tampered file may hold) are kept
// as strings beside the slot, so the walk reports exactly what it read.
import type { EventRef } from "@/lib/ledger/check/problems";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const HASH = /^[0-9a-f]{64}$/;
const HASH_BYTES = 32;
const ID_BYTES = 16;
const NO_LINE = -1;

export interface Tip {
  ref: EventRef;
  hash: string;
  hashOk: boolean;
}

export class TipStore {
  private readonly slots = new Map<string, number>();
  private readonly free: number[] = [];
  private used = 0;
  private capacity = 0;
  private hashes = Buffer.alloc(0);
  private ids = Buffer.alloc(0);
  private seqs = new Float64Array(0);
  private lines = new Float64Array(0);
  private oks = new Uint8Array(0);
  /** Slot → the id or hash that did not pack. */
  private readonly oddIds = new Map<number, string>();
  private readonly oddHashes = new Map<number, string>();

  get size(): number {
    return this.slots.size;
  }

  /** The subject's slot, or undefined when no tip is remembered. */
  slot(subjectId: string): number | undefined {
    return this.slots.get(subjectId);
  }

  seq(slot: number): number {
    return this.seqs[slot] ?? 0;
  }

  hash(slot: number): string {
    const odd = this.oddHashes.get(slot);
    if (odd !== undefined) return odd;
    const at = slot * HASH_BYTES;
    return this.hashes.toString("hex", at, at + HASH_BYTES);
  }

  hashOk(slot: number): boolean {
    return this.oks[slot] === 1;
  }

  ref(slot: number, subjectId: string): EventRef {
    let id = this.oddIds.get(slot);
    if (id === undefined) {
      const at = slot * ID_BYTES;
      const hex = this.ids.toString("hex", at, at + ID_BYTES);
      id = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
    }
    const ref: EventRef = { id, subjectId, seq: this.seq(slot) };
    const line = this.lines[slot] ?? NO_LINE;
    if (line !== NO_LINE) ref.line = line;
    return ref;
  }

  get(subjectId: string): Tip | null {
    const slot = this.slots.get(subjectId);
    if (slot === undefined) return null;
    return { ref: this.ref(slot, subjectId), hash: this.hash(slot), hashOk: this.hashOk(slot) };
  }

  set(subjectId: string, ref: EventRef, hash: string, hashOk: boolean): void {
    let slot = this.slots.get(subjectId);
    if (slot === undefined) {
      slot = this.free.pop() ?? this.newSlot();
      this.slots.set(subjectId, slot);
    }
    if (UUID.test(ref.id)) {
      this.ids.write(ref.id.replaceAll("-", ""), slot * ID_BYTES, ID_BYTES, "hex");
      this.oddIds.delete(slot);
    } else this.oddIds.set(slot, ref.id);
    if (HASH.test(hash)) {
      this.hashes.write(hash, slot * HASH_BYTES, HASH_BYTES, "hex");
      this.oddHashes.delete(slot);
    } else this.oddHashes.set(slot, hash);
    this.seqs[slot] = ref.seq;
    this.lines[slot] = ref.line ?? NO_LINE;
    this.oks[slot] = hashOk ? 1 : 0;
  }

  delete(subjectId: string): void {
    const slot = this.slots.get(subjectId);
    if (slot === undefined) return;
    this.slots.delete(subjectId);
    this.oddIds.delete(slot);
    this.oddHashes.delete(slot);
    this.free.push(slot);
  }

  private newSlot(): number {
    if (this.used === this.capacity) this.grow(Math.max(1024, this.capacity * 2));
    return this.used++;
  }

  private grow(capacity: number) {
    const hashes = Buffer.alloc(capacity * HASH_BYTES);
    this.hashes.copy(hashes);
    const ids = Buffer.alloc(capacity * ID_BYTES);
    this.ids.copy(ids);
    const seqs = new Float64Array(capacity);
    seqs.set(this.seqs);
    const lines = new Float64Array(capacity);
    lines.set(this.lines);
    const oks = new Uint8Array(capacity);
    oks.set(this.oks);
    this.hashes = hashes;
    this.ids = ids;
    this.seqs = seqs;
    this.lines = lines;
    this.oks = oks;
    this.capacity = capacity;
  }
}
