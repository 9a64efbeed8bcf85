// What a fuzz run needs in the database: a user who accepted the agreement,
// an auditor, an API key with the write scopes, and row counts of the tables
// a request could write. Services are imported lazily, after the caller has
// pointed DATABASE_URL at the run's database.
import { randomUUID } from "node:crypto";
import type pg from "pg";
import { WRITTEN_TABLES, type Caller } from "@/tests/security/fuzz-cases";

export type Credentials = Record<Caller, Record<string, string>>;

export async function makeCredentials(): Promise<Credentials> {
  const { createSignedInUser } = await import("@/tests/helpers/session-cookie");
  const { getVersionInEffect } = await import("@/lib/agreements/versions");
  const { acceptAgreement } = await import("@/lib/consent/accept-agreement");
  const { createApiKey } = await import("@/lib/api-keys/api-keys");
  const user = await createSignedInUser();
  const version = await getVersionInEffect();
  if (!version) throw new Error("no version in effect");
  await acceptAgreement({
    subjectId: user.id,
    versionId: version.id,
    shownSha256: version.bodySha256,
    method: "WEB",
    meta: { ipTruncated: null, userAgent: null, locale: null },
  });
  const auditor = await createSignedInUser("AUDITOR");
  const key = await createApiKey(
    { actor: null, meta: null, via: "cli" },
    {
      name: `fuzz ${randomUUID()}`,
      scopes: ["consent:write", "webhooks:manage", "status:read", "versions:read"],
      rateLimitPerMinute: 1_000_000,
    },
  );
  if (!key.ok) throw new Error(key.message);
  return {
    user: { cookie: user.cookie },
    auditor: { cookie: auditor.cookie },
    "api-key": { authorization: `Bearer ${key.data.key}` },
    anonymous: {},
  };
}

/** Rows in every table a request could write (tables another branch has not made yet count 0). */
export async function countRows(pool: pg.Pool): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of WRITTEN_TABLES) {
    const exists = await pool.query<{ t: string | null }>("SELECT to_regclass($1)::text AS t", [table]);
    if (!exists.rows[0]?.t) continue;
    // The name comes from WRITTEN_TABLES, a constant list.
    const { rows } = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${table}"`);
    counts[table] = rows[0]?.n ?? 0;
  }
  return counts;
}
