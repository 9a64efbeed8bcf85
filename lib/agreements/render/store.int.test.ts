import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { usePrivateAppDatabase } from "@/tests/helpers/private-app-database";
import { createAdminContext } from "@/tests/helpers/admin-context";
import type { AdminContext } from "@/lib/agreements/drafts";

// Publishes versions: this file has its own database.
let db: Awaited<ReturnType<typeof usePrivateAppDatabase>>;
let drafts: typeof import("@/lib/agreements/drafts");
let publish: typeof import("@/lib/agreements/publish");
let store: typeof import("./store");
let pool: typeof import("./pool");
let lib: typeof import("@/lib/db");
let admin: AdminContext;

const at = new Date("2030-06-15T10:00:00.000Z");

beforeAll(async () => {
  db = await usePrivateAppDatabase();
  [drafts, publish, store, pool, lib] = await Promise.all([
    import("@/lib/agreements/drafts"),
    import("@/lib/agreements/publish"),
    import("./store"),
    import("./pool"),
    import("@/lib/db"),
  ]);
  admin = await createAdminContext({ ipTruncated: "198.51.100.0", userAgent: "vitest admin" });
});

afterAll(async () => {
  await pool?.closeRenderPool();
  await db?.release();
});

async function publishText(edit: (body: string) => string) {
  const draft = await drafts.createDraft(admin);
  if (!draft.ok) throw new Error(draft.message);
  const row = await lib.prisma.agreementVersion.findUniqueOrThrow({ where: { id: draft.data.id } });
  const saved = await drafts.updateDraft(admin, {
    versionId: row.id,
    title: row.title,
    bodyMarkdown: edit(row.bodyMarkdown),
  });
  if (!saved.ok) throw new Error(saved.message);
  const published = await publish.publishVersion(
    admin,
    {
      versionId: row.id,
      effectiveDate: "2030-06-15",
      lastUpdated: "2030-06-15",
      changeSummary: "",
      material: false,
    },
    { at },
  );
  if (!published.ok) throw new Error(published.message);
  return lib.prisma.agreementVersion.findUniqueOrThrow({ where: { id: row.id } });
}

describe("stored renderings and diffs", () => {
  it("renders a version without a stored rendering (the seeded one) on first read, then serves the stored HTML", async () => {
    const v1 = await lib.prisma.agreementVersion.findUniqueOrThrow({ where: { number: 1 } });
    expect(await lib.prisma.agreementRendering.count({ where: { versionId: v1.id } })).toBe(0);
    const first = await store.getRendering(v1);
    expect(first.ok && first.data.html).toContain("<h2");
    const row = await lib.prisma.agreementRendering.findUniqueOrThrow({ where: { versionId: v1.id } });
    expect(row.renderer).toBe(store.RENDERER_VERSION);
    expect(row.htmlSha256).toMatch(/^[0-9a-f]{64}$/);
    // Served from storage: a marker written into the row comes back.
    await lib.prisma.agreementRendering.update({
      where: { versionId: v1.id },
      data: { html: "<p>from storage</p>" },
    });
    expect(await store.getRendering(v1)).toMatchObject({ ok: true, data: { html: "<p>from storage</p>" } });
    // A rendering by an older renderer is replaced on read.
    await lib.prisma.agreementRendering.update({ where: { versionId: v1.id }, data: { renderer: 0 } });
    const fresh = await store.getRendering(v1);
    expect(fresh.ok && fresh.data.html).toContain("<h2");
    expect(
      (await lib.prisma.agreementRendering.findUniqueOrThrow({ where: { versionId: v1.id } })).renderer,
    ).toBe(store.RENDERER_VERSION);
  });

  it("publishing stores the new version's rendering and its diff from the previous version", async () => {
    const { agreementPagesGeneration } = await import("./page-generation");
    const generation = agreementPagesGeneration();
    const v2 = await publishText(
      (body) => `${body}\n\n## Research\n\nWe share survey answers with research partners.`,
    );
    const rendering = await lib.prisma.agreementRendering.findUniqueOrThrow({ where: { versionId: v2.id } });
    expect(rendering.html).toContain("We share survey answers with research partners.");
    const v1 = await lib.prisma.agreementVersion.findUniqueOrThrow({ where: { number: 1 } });
    const diffRow = await lib.prisma.agreementDiff.findUniqueOrThrow({
      where: { fromVersionId_toVersionId: { fromVersionId: v1.id, toVersionId: v2.id } },
    });
    const diff = diffRow.diff as unknown as import("@/lib/agreements/diff").SectionDiff;
    const added = diff.sections.filter((s) => s.changed);
    expect(added).toHaveLength(1);
    expect(added[0]!.heading).toMatchObject({ op: "added", kind: "h2", html: "<h2>Research</h2>" });
    expect(added[0]!.title).toBe("Research");
    expect(diff.wordsAdded).toBe(8);
    expect(diff.wordsRemoved).toBe(0);
    // Cached public pages of this process are dropped once the publish has committed.
    expect(agreementPagesGeneration()).toBe(generation + 1);
  });

  it("computes any other pair once, caches it, and concurrent first requests agree and leave one row", async () => {
    const v3 = await publishText((body) =>
      body.replace("research partners", "[research partners](https://partners.example)"),
    );
    const v1 = await lib.prisma.agreementVersion.findUniqueOrThrow({ where: { number: 1 } });
    const where = { fromVersionId_toVersionId: { fromVersionId: v1.id, toVersionId: v3.id } };
    expect(await lib.prisma.agreementDiff.findUnique({ where })).toBeNull();
    const [a, b] = await Promise.all([store.getVersionDiff(v1, v3), store.getVersionDiff(v1, v3)]);
    expect(a).toEqual(b);
    const stored = await lib.prisma.agreementDiff.findUniqueOrThrow({ where });
    expect(a.ok && a.data).toEqual(stored.diff);
    // The consecutive diff (stored at publish) reports the new link target.
    const v2 = await lib.prisma.agreementVersion.findUniqueOrThrow({ where: { number: 2 } });
    const consecutive = await store.getVersionDiff(v2, v3);
    expect(consecutive.ok && consecutive.data.linkChanges).toEqual([
      { text: "research partners", from: null, to: "https://partners.example" },
    ]);
  });
});
