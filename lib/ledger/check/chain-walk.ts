// The one chain walk (docs/ledger.md §3, §4): every event's hash recomputed,
// every link whose both ends are seen, gaps and order. Events of one subject
// must come in seq order; subjects may interleave (an export, in ledger
// order) or come one after another (the live verifier, which forgets a
// subject when done). Memory: one packed tip per subject it still remembers
// (tip-store.ts); an event leaves nothing behind that outlives it.
import { GENESIS_HASH, eventHash, type HashedEventFields } from "@/lib/ledger/event-hash";
import { describeEvent, eventFields, type EventRef, type LedgerProblem } from "@/lib/ledger/check/problems";
import { TipStore } from "@/lib/ledger/check/tip-store";

export interface WalkedEvent extends HashedEventFields {
  hash: string;
  /**
   * Set when the event's personal fields were pruned (docs/ledger.md §12):
   * its hash cannot be recomputed and is taken as stored; its links and its
   * leaf are still checked.
   */
  prunedAt?: string | null;
}

/** The idempotency key of a pruned event: "pruned:" and the SHA-256 of the original key. */
export const PRUNED_KEY = /^pruned:[0-9a-f]{64}$/;

export type LinkResult = "ok" | "broken" | "not_checkable" | "gap";

/** What the walk found about one event. */
export interface WalkStep {
  /** false when the fields do not give the stored hash; true for a pruned event (not recomputable). */
  hashOk: boolean;
  pruned: boolean;
  /** The link to the previous event (or to the genesis hash at seq 1). */
  link: LinkResult;
}

export interface ChainWalkOptions {
  /**
   * Every event of every chain is expected (the live ledger, a whole-ledger
   * export): a gap is a deletion. Otherwise gaps are events the filters left
   * out, counted as links not checkable.
   */
  complete: boolean;
}

export class ChainWalk {
  readonly problems: LedgerProblem[];
  private readonly tips = new TipStore();
  private subjectsSeen = 0;
  hashesRecomputed = 0;
  pruned = 0;
  linksChecked = 0;
  linksNotCheckable = 0;

  constructor(
    private readonly options: ChainWalkOptions,
    problems: LedgerProblem[] = [],
  ) {
    this.problems = problems;
  }

  get subjects(): number {
    return this.subjectsSeen;
  }

  /** The last event seen of a subject's chain. */
  tip(subjectId: string): { id: string; seq: number; hash: string; hashOk: boolean } | null {
    const tip = this.tips.get(subjectId);
    return tip ? { id: tip.ref.id, seq: tip.ref.seq, hash: tip.hash, hashOk: tip.hashOk } : null;
  }

  /** Drops a finished subject (its events are all seen). */
  forget(subjectId: string): void {
    this.tips.delete(subjectId);
  }

  /**
   * `recomputed`, when given, is eventHash(event) already computed by the
   * caller for exactly these fields (the CSV reader computes it to tell NULL
   * from ""): it is used instead of hashing the event a second time.
   */
  add(event: WalkedEvent, line?: number, recomputed?: string): WalkStep {
    const ref: EventRef = { id: event.id, subjectId: event.subjectId, seq: event.seq };
    if (line !== undefined) ref.line = line;
    const slot = this.tips.slot(event.subjectId);
    if (slot === undefined) this.subjectsSeen += 1;
    const tipSeq = slot === undefined ? null : this.tips.seq(slot);
    const pruned = Boolean(event.prunedAt);
    if (tipSeq !== null && event.seq <= tipSeq) {
      this.problems.push({
        kind: "order",
        ...eventFields(ref),
        message: `${describeEvent(ref)}: seq ${event.seq} comes after seq ${tipSeq} of the same subject`,
      });
      return { hashOk: true, pruned, link: "not_checkable" };
    }

    let hashOk = true;
    if (pruned) {
      this.pruned += 1;
      // A pruned stub holds no personal field and a pseudonymised key; anything else was not made by the prune.
      if (
        event.ipTruncated !== null ||
        event.userAgent !== null ||
        event.locale !== null ||
        !PRUNED_KEY.test(event.idempotencyKey)
      ) {
        hashOk = false;
        this.problems.push({
          kind: "hash",
          ...eventFields(ref),
          message: `${describeEvent(ref)}: marked pruned, but its fields are not a pruned event's (personal fields left, or the key not pseudonymised)`,
        });
      }
    } else {
      this.hashesRecomputed += 1;
      recomputed ??= eventHash(event);
      hashOk = recomputed === event.hash;
      if (!hashOk)
        this.problems.push({
          kind: "hash",
          ...eventFields(ref),
          message: `${describeEvent(ref)}: stored hash ${event.hash} does not match its fields (recomputed ${recomputed}): the event was altered`,
        });
    }

    let link: LinkResult;
    if (event.seq === 1) {
      this.linksChecked += 1;
      link = event.prevHash === GENESIS_HASH ? "ok" : "broken";
      if (link === "broken" && hashOk)
        this.problems.push({
          kind: "chain",
          ...eventFields(ref),
          message: `${describeEvent(ref)}: the first event of a chain must have prevHash ${GENESIS_HASH}`,
        });
    } else if (slot !== undefined && tipSeq === event.seq - 1) {
      this.linksChecked += 1;
      const tipHash = this.tips.hash(slot);
      link = event.prevHash === tipHash ? "ok" : "broken";
      // This event is intact, so the one before it was rewritten, hash included.
      if (link === "broken" && hashOk && this.tips.hashOk(slot)) {
        const tipRef = this.tips.ref(slot, event.subjectId);
        this.problems.push({
          kind: "chain",
          ...eventFields(tipRef),
          message: `${describeEvent(tipRef)}: its hash ${tipHash} is not the prevHash ${event.prevHash} recorded by the next event (seq ${event.seq}): the event was rewritten`,
        });
      }
    } else if (this.options.complete) {
      link = "gap";
      const first = tipSeq !== null ? tipSeq + 1 : 1;
      const last = event.seq - 1;
      this.problems.push({
        kind: "missing",
        subjectId: event.subjectId,
        seq: first,
        message: `subject ${event.subjectId}: ${first === last ? `seq ${first} is` : `seqs ${first}–${last} are`} missing (deleted?); ${describeEvent(ref)} follows and records prevHash ${event.prevHash}`,
      });
    } else {
      link = "not_checkable";
      this.linksNotCheckable += 1;
    }
    this.tips.set(event.subjectId, ref, event.hash, hashOk);
    return { hashOk, pruned, link };
  }
}
