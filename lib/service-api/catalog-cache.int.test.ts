// The keyed status read keeps the published versions per process and reads
// them again when a publication moved the catalog's stamp: a status read
// right after a publication already knows the new version.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { usePrivateAppDatabase } from "@/tests/helpers/private-app-database";
import { createAdminContext } from "@/tests/helpers/admin-context";

// Publishes a version, so it has its own database.
let db: Awaited<ReturnType<typeof usePrivateAppDatabase>>;

beforeAll(async () => {
  db = await usePrivateAppDatabase();
});

afterAll(async () => {
  await db?.release();
});

describe("the catalog behind keyed status reads", () => {
  it("is read again after a publication", async () => {
    const { keyedExternalStatus, keyedBatchStatus } = await import("./status");
    const { createApiKey } = await import("@/lib/api-keys/api-keys");
    const { apiKeySha256 } = await import("@/lib/api-keys/key-format");
    const { createDraft } = await import("@/lib/agreements/drafts");
    const { publishVersion } = await import("@/lib/agreements/publish");
    const key = await createApiKey(
      { actor: null, meta: null, via: "cli" },
      { name: "catalog", scopes: ["status:read"], rateLimitPerMinute: 1000 },
    );
    if (!key.ok) throw new Error(key.message);
    const sha = apiKeySha256(key.data.key);
    const at = new Date("2032-03-01T00:00:00.000Z");
    const before = (await keyedExternalStatus(sha, "someone", at)).answer();
    expect(before.agreement).toMatchObject({ inEffectVersion: 1, reconsentVersion: 1 });

    const { pool } = await import("@/lib/db");
    const revision = async () =>
      (await pool.query<{ revision: string }>("SELECT revision::text FROM catalog_revision")).rows;
    const [initial] = await revision();

    const admin = await createAdminContext({ ipTruncated: "192.0.2.0", userAgent: "vitest" });
    const draft = await createDraft(admin);
    if (!draft.ok) throw new Error(draft.message);
    // A draft is not part of the catalog: it does not move the revision.
    expect(await revision()).toEqual([initial]);
    const published = await publishVersion(
      admin,
      {
        versionId: draft.data.id,
        effectiveDate: "2032-02-20",
        lastUpdated: "2032-02-01",
        changeSummary: "Material.",
        material: true,
      },
      { at: new Date("2032-02-01T12:00:00.000Z") },
    );
    if (!published.ok) throw new Error(published.message);
    const [moved] = await revision();
    expect(Number(moved?.revision)).toBeGreaterThan(Number(initial?.revision));

    const after = (await keyedExternalStatus(sha, "someone", at)).answer();
    expect(after.agreement).toMatchObject({ inEffectVersion: 2, reconsentVersion: 2 });
    const [batched] = (await keyedBatchStatus(sha, ["someone"], at)).answer();
    expect(batched?.agreement.inEffectVersion).toBe(2);
  });
});
