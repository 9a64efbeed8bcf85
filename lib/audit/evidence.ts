import "server-only";
import { pool } from "@/lib/db";
import { canonicalEvent, eventHash, type HashedEventFields } from "@/lib/ledger/event-hash";
import { ChainWalk, type LinkResult } from "@/lib/ledger/check/chain-walk";
import type { LedgerProblem } from "@/lib/ledger/check/problems";
import { getConsentReceipt } from "@/lib/consent/get-receipt";
import type { ConsentReceipt } from "@/lib/consent/receipt";
import { EVENT_COLUMNS_SQL, rowToExportedEvent, type ExportedEvent } from "@/lib/ledger/export/export-format";
import { eventInLog, type EventInLog } from "@/lib/ledger/log/event-in-log";

export interface EventEvidence {
  event: ExportedEvent;
  subject: { email: string | null; role: string | null; deregisteredAt: string | null };
  version: {
    title: string;
    number: number;
    bodySha256: string;
    effectiveAt: string | null;
    material: boolean;
  } | null;
  purpose: {
    key: string;
    name: string;
    description: string;
    basic: boolean;
    dpvTerm: string | null;
    noticeSha256: string;
  } | null;
  /** The notice the event names is the one this version declares. */
  noticeMatches: boolean;
  canonicalJson: string;
  recomputedHash: string;
  hashMatches: boolean;
  /** The event's personal fields were pruned: its hash is taken as stored (docs/ledger.md §12). */
  pruned: boolean;
  previous: { id: string; hash: string } | null;
  /** prevHash equals the previous event's hash (or the genesis hash at seq 1). */
  linkMatches: boolean;
  /** The link to the previous event as the chain walk saw it ("gap": the previous event is gone). */
  link: LinkResult;
  next: { id: string } | null;
  /** What the ledger's one chain walk (lib/ledger/check) finds over the previous event, this one and the next. */
  problems: LedgerProblem[];
  /** The event in the log (format 2): its leaf, the signed checkpoint over it, witnesses, the inclusion proof. */
  log: EventInLog;
  /** The format 1 range checkpoint over the event, for events recorded before format 2 (docs/ledger.md §9). */
  checkpoint: {
    id: number;
    txidFrom: string;
    txidTo: string;
    eventCount: number;
    merkleRoot: string;
    createdAt: string;
  } | null;
  /** The consent receipt the subject can download for this event (Kantara v1.1 fields). */
  receipt: ConsentReceipt | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Everything an auditor needs to judge one event; null when there is no such event. */
export async function getEventEvidence(id: string): Promise<EventEvidence | null> {
  if (!UUID.test(id)) return null;
  const { rows } = await pool.query({
    text: `SELECT ${EVENT_COLUMNS_SQL} FROM consent_events e WHERE e.id = $1`,
    values: [id],
    rowMode: "array",
  });
  const row = rows[0] as (string | null)[] | undefined;
  if (!row) return null;
  const event = rowToExportedEvent(row);
  // First, so the receipt below finds the event under a signed checkpoint without sequencing again.
  const log = await eventInLog(event);
  // The row was read before the sequencer may have given the event its leaf just now.
  if (log.status === "included") event.leafIndex ??= String(log.leafIndex);

  const [subject, version, purpose, neighbours, checkpoint, receipt] = await Promise.all([
    pool.query(`SELECT email, role::text, deregistered_at FROM users WHERE id = $1`, [event.subjectId]),
    pool.query(
      `SELECT title, number, body_sha256, effective_at, material FROM agreement_versions WHERE id = $1`,
      [event.versionId],
    ),
    event.purposeKey
      ? pool.query(
          `SELECT key, name, description, basic, dpv_term, notice_sha256 FROM purposes WHERE version_id = $1 AND key = $2`,
          [event.versionId, event.purposeKey],
        )
      : Promise.resolve({ rows: [] }),
    pool.query({
      text: `SELECT ${EVENT_COLUMNS_SQL} FROM consent_events e WHERE e.subject_id = $1 AND e.seq IN ($2 - 1, $2 + 1)`,
      values: [event.subjectId, event.seq],
      rowMode: "array",
    }),
    pool.query(
      `SELECT id, txid_from::text, txid_to::text, event_count, merkle_root, created_at FROM ledger_checkpoints
        WHERE txid_from <= $1::bigint AND txid_to > $1::bigint ORDER BY id LIMIT 1`,
      [event.txid],
    ),
    getConsentReceipt(event.subjectId, event.id),
  ]);

  const fields: HashedEventFields = event;
  const recomputedHash = eventHash(fields);
  const u = subject.rows[0];
  const v = version.rows[0];
  const p = purpose.rows[0];
  const around = (neighbours.rows as (string | null)[][]).map(rowToExportedEvent);
  const prev = around.find((r) => r.seq === event.seq - 1);
  const next = around.find((r) => r.seq === event.seq + 1);
  // The same walk as ledger:verify and npm run verify, over the three events
  // (not "complete": a missing previous event shows as a gap in the link).
  const walk = new ChainWalk({ complete: false });
  if (prev) walk.add(prev);
  const step = walk.add(event);
  if (next) walk.add(next);
  const c = checkpoint.rows[0];
  const expectedNotice = event.purposeKey ? p?.notice_sha256 : v?.body_sha256;
  return {
    event,
    subject: {
      email: u?.email ?? null,
      role: u?.role ?? null,
      deregisteredAt: u?.deregistered_at?.toISOString() ?? null,
    },
    version: v
      ? {
          title: v.title,
          number: v.number,
          bodySha256: v.body_sha256,
          effectiveAt: v.effective_at?.toISOString() ?? null,
          material: v.material,
        }
      : null,
    purpose: p
      ? {
          key: p.key,
          name: p.name,
          description: p.description,
          basic: p.basic,
          dpvTerm: p.dpv_term,
          noticeSha256: p.notice_sha256,
        }
      : null,
    noticeMatches: expectedNotice === event.noticeSha256,
    canonicalJson: canonicalEvent(fields),
    recomputedHash,
    hashMatches: step.hashOk,
    pruned: step.pruned,
    previous: prev ? { id: prev.id, hash: prev.hash } : null,
    linkMatches: step.link === "ok",
    link: event.seq > 1 && !prev ? "gap" : step.link,
    next: next ? { id: next.id } : null,
    problems: walk.problems,
    log,
    checkpoint: c
      ? {
          id: c.id,
          txidFrom: c.txid_from,
          txidTo: c.txid_to,
          eventCount: c.event_count,
          merkleRoot: c.merkle_root,
          createdAt: c.created_at.toISOString(),
        }
      : null,
    receipt,
  };
}
