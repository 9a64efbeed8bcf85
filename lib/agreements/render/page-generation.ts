// The generation of cached public agreement pages in this process
// (lib/server/fast-paths/agreement-pages.ts). No database here: publishing
// bumps it after its transaction commits.
const globalForCache = globalThis as unknown as { accordAgreementPagesGeneration?: number };

/**
 * Drops every cached agreement page of this process at once (after a publish
 * commits, or a setting shown on the pages changes). Shared through globalThis
 * because Next's bundle and the custom server load this module separately.
 */
export function invalidateAgreementPages(): void {
  globalForCache.accordAgreementPagesGeneration = (globalForCache.accordAgreementPagesGeneration ?? 0) + 1;
}

export function agreementPagesGeneration(): number {
  return globalForCache.accordAgreementPagesGeneration ?? 0;
}
