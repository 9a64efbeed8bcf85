import "server-only";
import type { Prisma } from "@/lib/generated/prisma/client";
import { fail, type Failure } from "@/lib/result";
import { isImmutableVersionError, publishedVersionFailure } from "@/lib/agreements/immutable-error";

export interface LockedVersion {
  id: string;
  number: number | null;
  title: string;
  body_markdown: string;
  body_sha256: string;
  published_at: Date | null;
}

/**
 * Locks a version row for the rest of the transaction and checks it is still
 * a draft. Publishing takes the same lock, so an edit racing a publish either
 * commits first (and is published) or waits and then gets a clear 409.
 */
export async function lockDraft(
  tx: Prisma.TransactionClient,
  versionId: string,
): Promise<LockedVersion | Failure> {
  const [row] = await tx.$queryRaw<LockedVersion[]>`
    SELECT id, number, title, body_markdown, body_sha256, published_at
    FROM agreement_versions WHERE id = ${versionId}::uuid FOR UPDATE`;
  if (!row) return fail(404, "version_not_found", "This agreement version does not exist.");
  if (row.published_at) return publishedVersionFailure(row.number);
  return row;
}

export function isFailure(value: unknown): value is Failure {
  return typeof value === "object" && value !== null && (value as { ok?: unknown }).ok === false;
}

/** Runs a draft change; the trigger's refusal (a writer that skipped the check) becomes the same 409. */
export async function guardImmutable<T>(run: () => Promise<T>): Promise<T | Failure> {
  try {
    return await run();
  } catch (error) {
    if (isImmutableVersionError(error)) return publishedVersionFailure(null);
    throw error;
  }
}
