import "server-only";
import type { KeyRow } from "@/lib/api-keys/authenticate";

// The API keys a process has seen, for the keyed reads that compare a
// revision in their own statement (lib/service-api/status.ts). Every change a
// kept key could miss (revocation, scopes, limit, name, deletion) moves that
// revision in its own transaction (migration 20261202063000_api_key_revision),
// so a read whose statement returns another revision than the one a key was
// kept under drops every kept key and reads its key again. A key is refused
// by the first read that can see its revocation, in every process: the same
// as when each read looked its key up, one index probe less per read
// (docs/benchmarks.md, "Service API", "Keys kept per process").
//
// Only keys that exist are kept (by SHA-256; the secret is never held), so
// unknown keys cannot fill it; a key's last use is still recorded once a
// minute (decideKey), from the time this process last recorded it.

/** A kept key: its row as the lookup read it, and when this process last recorded its use. */
interface KeptKey {
  row: KeyRow;
  usedAt: number;
}

interface KeyCache {
  revision: string | null;
  keys: Map<string, KeptKey>;
}

// On globalThis, so the custom server's fast paths and Next's bundle, which
// load this module separately, keep one set per process.
const globalForKeys = globalThis as unknown as { accordKeyCache?: KeyCache };
const cache = (globalForKeys.accordKeyCache ??= { revision: null, keys: new Map() });

const USE_RECORD_MS = 60_000;

/** Whether a key with this SHA-256 is kept (its read can leave the lookup out). */
export function isKeptKey(sha256: string): boolean {
  return cache.keys.has(sha256);
}

/**
 * The kept key for this SHA-256, if the read's statement returned the
 * revision it was kept under; otherwise every kept key is dropped (the
 * caller then looks the key up). `at` decides whether its use is recorded.
 */
export function keptKey(sha256: string, revision: string, at: Date): KeyRow | undefined {
  if (cache.revision !== revision) {
    forgetKeys(revision);
    return undefined;
  }
  const kept = cache.keys.get(sha256);
  if (!kept) return undefined;
  const now = at.getTime();
  if (now - kept.usedAt < USE_RECORD_MS)
    return kept.row.key_use_stale ? { ...kept.row, key_use_stale: false } : kept.row;
  kept.usedAt = now;
  return { ...kept.row, key_use_stale: true };
}

/** Keeps a key read under `revision` (a key that does not exist is not kept). */
export function keepKey(sha256: string, row: KeyRow | undefined, revision: string, at: Date): void {
  if (!row) return;
  if (cache.revision !== revision) forgetKeys(revision);
  // A stale key has its use recorded by this read (decideKey); otherwise the
  // next record is due a minute after the one the row shows.
  const usedAt = row.key_use_stale || row.key_used_ms === null ? at.getTime() : row.key_used_ms;
  cache.keys.set(sha256, { row: { ...row, key_use_stale: false }, usedAt });
}

/** Drops every kept key (a revision moved, or a test starts afresh). */
export function forgetKeys(revision: string | null = null): void {
  cache.keys.clear();
  cache.revision = revision;
}
