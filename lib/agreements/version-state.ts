// A version's state is a function of its dates and "now": nothing has to run
// at midnight for a scheduled version to take effect. Pure, so pages, services
// and tests agree on one rule.

export type VersionState = "draft" | "scheduled" | "in-effect" | "superseded";

export interface DatedVersion {
  id: string;
  number: number | null;
  publishedAt: Date | null;
  effectiveAt: Date | null;
}

/** The published version whose effective date has come most recently (ties: higher number). */
export function findInEffect<V extends DatedVersion>(versions: readonly V[], at: Date): V | null {
  let best: V | null = null;
  for (const v of versions) {
    if (!v.publishedAt || !v.effectiveAt || v.effectiveAt > at) continue;
    if (
      !best ||
      v.effectiveAt > (best.effectiveAt as Date) ||
      (v.effectiveAt.getTime() === (best.effectiveAt as Date).getTime() &&
        (v.number ?? 0) > (best.number ?? 0))
    ) {
      best = v;
    }
  }
  return best;
}

export function versionState(version: DatedVersion, inEffectId: string | null, at: Date): VersionState {
  if (!version.publishedAt || !version.effectiveAt) return "draft";
  if (version.effectiveAt > at) return "scheduled";
  return version.id === inEffectId ? "in-effect" : "superseded";
}

/** Each version with its state, computed against one instant. */
export function withStates<V extends DatedVersion>(
  versions: readonly V[],
  at: Date,
): (V & { state: VersionState })[] {
  const current = findInEffect(versions, at);
  return versions.map((v) => ({ ...v, state: versionState(v, current?.id ?? null, at) }));
}
