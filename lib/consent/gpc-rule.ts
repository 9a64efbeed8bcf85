// Global Privacy Control (Sec-GPC: 1) as a withdrawal of third-party sharing.
// The signal wins unless the user turned sharing on themselves after being
// told that GPC is on: gpcAppliedAt marks that moment, and a grant of sharing
// made without the signal clears it (change-purpose.ts), so the next signal
// applies again. Pure: the rule is tested on its own.

export const GPC_PURPOSE_KEY = "third-party-sharing";

export interface GpcInput {
  /** The request carries Sec-GPC: 1. */
  signal: boolean;
  gpcAppliedAt: Date | null;
  sharing: { granted: boolean; updatedAt: Date } | null;
}

/** "withdraw": append a GPC withdrawal; "mark": only record that GPC now applies; "none": nothing to write. */
export type GpcDecision = "withdraw" | "mark" | "none";

export function decideGpc({ signal, gpcAppliedAt, sharing }: GpcInput): GpcDecision {
  if (!signal) return "none";
  if (sharing?.granted && (gpcAppliedAt === null || sharing.updatedAt < gpcAppliedAt)) return "withdraw";
  return gpcAppliedAt === null ? "mark" : "none";
}
