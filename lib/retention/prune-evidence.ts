import "server-only";

/**
 * Prunes the consent events of accounts closed before `closedBefore` (and not
 * on legal hold) to stubs that keep their hashes (docs/ledger.md §12,
 * "Pruning"), through the ledger's pruneConsentEvidence. Returns how many
 * events were (or, on a dry run, would be) pruned; null while the ledger
 * cannot prune, so the purge reports the step as skipped instead of
 * pretending.
 */
export async function pruneClosedAccountEvidence(options: {
  closedBefore: Date;
  at: Date;
  dryRun: boolean;
}): Promise<number | null> {
  void options; // Wired to lib/ledger/prune.ts when it lands (issue 10).
  return null;
}
