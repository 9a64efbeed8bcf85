/**
 * Found by bench/fuzz-actions.ts (issue 9) on a saturated machine: creating a
 * draft outlived Prisma's 5 s transaction limit and the action answered 500.
 * An expired transaction committed nothing and the request may simply be
 * tried again, so it counts as "the database is unavailable right now": a
 * route answers 503 with Retry-After, an action returns a 503 failure its
 * form shows (lib/auth/action.ts), not an error page.
 */
import { describe, expect, it } from "vitest";
import { prisma } from "@/lib/db";
import { isDatabaseUnavailable } from "@/lib/db/outage";

describe("a transaction that outlives its time limit", () => {
  it("is reported as the database being unavailable, not as a bug", async () => {
    const error = await prisma
      .$transaction(
        async (tx) => {
          await tx.$queryRaw`SELECT 1`;
          await tx.$executeRaw`SELECT pg_sleep(0.3)`;
          await tx.$queryRaw`SELECT 1`;
        },
        { timeout: 100 },
      )
      .then(
        () => null,
        (caught: unknown) => caught,
      );
    expect(error).not.toBeNull();
    expect((error as { code?: string }).code).toBe("P2028");
    expect(isDatabaseUnavailable(error)).toBe(true);
    // Duplicate-key and other errors of the app's own making are still bugs, not outages.
    expect(isDatabaseUnavailable(Object.assign(new Error("x"), { code: "P2002" }))).toBe(false);
  });
});
