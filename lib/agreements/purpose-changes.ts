// Which purposes a new version added, changed or retired compared with an
// older one. A purpose is identified by its stable key; it "changed" when the
// notice a user sees (its noticeSha256) differs. PIPL Art. 14: consent given
// under the old notice does not cover the new one.

export interface PurposeNoticeRef {
  key: string;
  noticeSha256: string;
}

export interface PurposeChanges {
  added: string[];
  changed: string[];
  retired: string[];
}

export function purposeChanges(
  from: readonly PurposeNoticeRef[],
  to: readonly PurposeNoticeRef[],
): PurposeChanges {
  const before = new Map(from.map((p) => [p.key, p.noticeSha256]));
  const after = new Set(to.map((p) => p.key));
  const added: string[] = [];
  const changed: string[] = [];
  for (const p of to) {
    const old = before.get(p.key);
    if (old === undefined) added.push(p.key);
    else if (old !== p.noticeSha256) changed.push(p.key);
  }
  const retired = from.filter((p) => !after.has(p.key)).map((p) => p.key);
  return { added, changed, retired };
}

/** Keys that need fresh consent: added or changed ones. */
export function keysNeedingFreshConsent(changes: PurposeChanges): Set<string> {
  return new Set([...changes.added, ...changes.changed]);
}
