import "server-only";
import { NextResponse } from "next/server";
import {
  DATABASE_RETRY_AFTER_SECONDS,
  DATABASE_UNAVAILABLE_BODY,
  isDatabaseUnavailable,
  reportDatabaseOutage,
} from "@/lib/db/outage";

/** 503 with Retry-After, in the API's `{ error }` shape. */
export function databaseUnavailableResponse(): NextResponse {
  return NextResponse.json(DATABASE_UNAVAILABLE_BODY, {
    status: 503,
    headers: { "Retry-After": String(DATABASE_RETRY_AFTER_SECONDS) },
  });
}

/**
 * Wraps a route handler: when the database cannot be reached, the answer is a
 * 503 JSON with Retry-After (not Next's empty 500), and the outage is logged
 * once per burst (lib/db/outage.ts). Any other error is left to Next.
 */
export function answeringOutages<Args extends unknown[]>(
  handler: (...args: Args) => Promise<Response>,
): (...args: Args) => Promise<Response> {
  return async (...args: Args) => {
    try {
      return await handler(...args);
    } catch (error) {
      if (!isDatabaseUnavailable(error)) throw error;
      reportDatabaseOutage("web app", error);
      return databaseUnavailableResponse();
    }
  };
}
