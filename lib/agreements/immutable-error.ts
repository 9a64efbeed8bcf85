// The Postgres trigger (SQLSTATE ZA002) is the last line of defence for
// published versions; services check first and report a clear 409, but a
// racing writer can still hit the trigger, so map it to the same answer.
import { fail, type Failure } from "@/lib/result";

export const IMMUTABLE_SQLSTATE = "ZA002";

/** True if the error, or any error it wraps, is the immutability trigger's. */
export function isImmutableVersionError(error: unknown): boolean {
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (current && typeof current === "object" && !seen.has(current)) {
    seen.add(current);
    const record = current as {
      code?: unknown;
      originalCode?: unknown;
      message?: unknown;
      cause?: unknown;
      meta?: unknown;
    };
    if (record.code === IMMUTABLE_SQLSTATE || record.originalCode === IMMUTABLE_SQLSTATE) return true;
    if (typeof record.message === "string" && record.message.includes("is published and immutable"))
      return true;
    current =
      record.cause ?? (record.meta as { driverAdapterError?: unknown } | undefined)?.driverAdapterError;
  }
  return false;
}

export function publishedVersionFailure(number: number | null): Failure {
  return fail(
    409,
    "version_published",
    `Version ${number ?? ""} is published and cannot be changed. Create a new draft to correct it.`.replace(
      "  ",
      " ",
    ),
  );
}
