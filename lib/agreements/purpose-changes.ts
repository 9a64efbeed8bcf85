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

/** What a purpose says to the user, for deciding whether a revision widens the scope. */
export interface PurposeScope extends PurposeNoticeRef {
  name: string;
  basic: boolean;
  dpvTerm: string | null;
}

/**
 * Why a revision must be published as material, one reason per purpose: it
 * adds an optional purpose, or changes what a purpose tells the user (its
 * name or description, where categories of data and third parties are
 * stated), whether it is basic, or its DPV term. Seed §7: an expansion of the
 * scope of collection and use is an important change. Empty: the purposes
 * allow a minor revision (retiring a purpose narrows the scope).
 */
export function materialPurposeReasons(
  from: readonly PurposeScope[],
  to: readonly PurposeScope[],
): { key: string; reason: string }[] {
  const before = new Map(from.map((p) => [p.key, p]));
  const reasons: { key: string; reason: string }[] = [];
  for (const p of to) {
    const old = before.get(p.key);
    if (!old) {
      if (!p.basic) reasons.push({ key: p.key, reason: `"${p.name}" is a new optional purpose.` });
      continue;
    }
    const changed: string[] = [];
    if (old.noticeSha256 !== p.noticeSha256) changed.push("its notice (name, description or basic flag)");
    if ((old.dpvTerm ?? null) !== (p.dpvTerm ?? null))
      changed.push(`its DPV term (${old.dpvTerm ?? "none"} → ${p.dpvTerm ?? "none"})`);
    if (changed.length > 0)
      reasons.push({ key: p.key, reason: `"${p.name}" changes ${changed.join(" and ")}.` });
  }
  return reasons;
}
