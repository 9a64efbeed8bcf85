import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { usePrivateAppDatabase } from "@/tests/helpers/private-app-database";
import { createAdminContext } from "@/tests/helpers/admin-context";
import type { AdminContext } from "./drafts";

// Publishing changes what is in effect for everyone: this file has its own database.
let db: Awaited<ReturnType<typeof usePrivateAppDatabase>>;
let drafts: typeof import("./drafts");
let publish: typeof import("./publish");
let review: typeof import("./content-review");
let translations: typeof import("./translation-admin");
let lib: typeof import("@/lib/db");
let pool: typeof import("./render/pool");
let admin: AdminContext;

const at = new Date("2030-06-15T10:00:00.000Z");
const iso = (d: Date) => d.toISOString().slice(0, 10);

// "Trojan Source": the stored clause says the fee is refundable; on screen the override reorders it.
const RLO = "\u202e";
const PDF = "\u202c";
const trojan = (text: string) => `${text}\n\nThe fee is ${RLO}non-refundable${PDF} in every case.\n`;

beforeAll(async () => {
  db = await usePrivateAppDatabase();
  [drafts, publish, review, translations, lib, pool] = await Promise.all([
    import("./drafts"),
    import("./publish"),
    import("./content-review"),
    import("./translation-admin"),
    import("@/lib/db"),
    import("./render/pool"),
  ]);
  admin = await createAdminContext({ ipTruncated: "198.51.100.0", userAgent: "vitest admin" });
});

afterAll(async () => {
  await pool?.closeRenderPool();
  await db?.release();
});

async function newDraft() {
  const created = await drafts.createDraft(admin);
  if (!created.ok) throw new Error(created.message);
  return lib.prisma.agreementVersion.findUniqueOrThrow({
    where: { id: created.data.id },
    include: { translations: true },
  });
}

const minorPublish = (versionId: string, effective: Date) => ({
  versionId,
  effectiveDate: iso(effective),
  lastUpdated: iso(effective),
  changeSummary: "",
  material: false,
});

describe("bidi control characters in the admin pages", () => {
  it("are flagged on save and review, refused at publish without confirmation, and published with it (audited)", async () => {
    const draft = await newDraft();
    const zh = draft.translations.find((t) => t.locale === "zh-CN");
    if (!zh) throw new Error("the seed's version 1 has a Chinese translation");

    // Save: the draft's own text and a translation, each with a right-to-left override.
    const saved = await drafts.updateDraft(admin, {
      versionId: draft.id,
      title: draft.title,
      bodyMarkdown: trojan(draft.bodyMarkdown),
    });
    expect(saved.ok).toBe(true);
    const ownReview = await review.reviewDraftText(draft.id, {
      title: draft.title,
      bodyMarkdown: trojan(draft.bodyMarkdown),
    });
    const bidi = ownReview.warnings.find((w) => w.kind === "bidi-control");
    expect(bidi?.count).toBe(2);
    expect(bidi?.bidi?.map((c) => c.codePoint)).toEqual(["U+202E", "U+202C"]);
    const zhSaved = await translations.saveTranslation(admin, {
      versionId: draft.id,
      locale: "zh-CN",
      title: zh.title,
      bodyMarkdown: trojan(zh.bodyMarkdown),
    });
    expect(zhSaved.ok).toBe(true);

    // Review: both texts are listed with their warnings.
    const reviews = await review.reviewVersionContent(draft.id);
    expect(reviews.map((r) => [r.locale, r.warnings.map((w) => w.kind)])).toEqual([
      [null, ["bidi-control"]],
      ["zh-CN", ["bidi-control"]],
    ]);

    // Publish without the confirmation: a field error naming both texts; nothing is published.
    const refused = await publish.publishVersion(admin, minorPublish(draft.id, at), { at });
    expect(refused.ok).toBe(false);
    if (refused.ok) return;
    expect(refused.fieldErrors?.confirmBidi?.[0]).toMatch(
      /4 Unicode bidirectional control character\(s\), in the body \(2\), the zh-CN translation's body \(2\)/,
    );
    const still = await lib.prisma.agreementVersion.findUniqueOrThrow({ where: { id: draft.id } });
    expect(still.publishedAt).toBeNull();
    expect(
      await lib.prisma.auditLogEntry.count({
        where: { targetId: draft.id, action: "agreement.version.published" },
      }),
    ).toBe(0);

    // Confirmed: published, and the audit entry records what was confirmed.
    const published = await publish.publishVersion(
      admin,
      { ...minorPublish(draft.id, at), confirmBidi: true },
      { at },
    );
    expect(published.ok).toBe(true);
    const entry = await lib.prisma.auditLogEntry.findFirstOrThrow({
      where: { targetId: draft.id, action: "agreement.version.published" },
    });
    expect((entry.details as { bidiControlsConfirmed?: unknown }).bidiControlsConfirmed).toEqual([
      { locale: null, field: "body", count: 2, codePoints: ["U+202E", "U+202C"] },
      { locale: "zh-CN", field: "body", count: 2, codePoints: ["U+202E", "U+202C"] },
    ]);
  });

  it("a text without them publishes as before, with nothing to confirm or audit", async () => {
    const draft = await newDraft();
    const clean = await drafts.updateDraft(admin, {
      versionId: draft.id,
      title: draft.title,
      bodyMarkdown: draft.bodyMarkdown.replaceAll(RLO, "").replaceAll(PDF, "") + "\n\nA plain paragraph.\n",
    });
    expect(clean.ok).toBe(true);
    const zh = draft.translations.find((t) => t.locale === "zh-CN")!;
    await translations.saveTranslation(admin, {
      versionId: draft.id,
      locale: "zh-CN",
      title: zh.title,
      bodyMarkdown: zh.bodyMarkdown.replaceAll(RLO, "").replaceAll(PDF, ""),
    });
    const published = await publish.publishVersion(admin, minorPublish(draft.id, at), { at });
    expect(published.ok).toBe(true);
    const entry = await lib.prisma.auditLogEntry.findFirstOrThrow({
      where: { targetId: draft.id, action: "agreement.version.published" },
    });
    expect(entry.details).not.toHaveProperty("bidiControlsConfirmed");
  });

  it("a translation added to a published version is published at once: refused without confirmation, then audited", async () => {
    const draft = await newDraft();
    const removed = await translations.deleteDraftTranslation(admin, draft.id, "zh-CN");
    expect(removed.ok).toBe(true);
    const published = await publish.publishVersion(admin, minorPublish(draft.id, at), { at });
    expect(published.ok).toBe(true);

    const input = {
      versionId: draft.id,
      locale: "zh-CN" as const,
      title: `用户隐私协议${RLO}`,
      bodyMarkdown: trojan("# 用户隐私协议"),
    };
    const refused = await translations.saveTranslation(admin, input);
    expect(refused.ok).toBe(false);
    if (refused.ok) return;
    expect(Object.keys(refused.fieldErrors ?? {})).toEqual(["confirmBidi"]);
    expect(await lib.prisma.agreementTranslation.count({ where: { versionId: draft.id } })).toBe(0);

    const added = await translations.saveTranslation(admin, { ...input, confirmBidi: "on" });
    expect(added.ok).toBe(true);
    const entry = await lib.prisma.auditLogEntry.findFirstOrThrow({
      where: { targetId: draft.id, action: "agreement.translation.added" },
    });
    expect((entry.details as { bidiControlsConfirmed?: unknown }).bidiControlsConfirmed).toEqual([
      { locale: "zh-CN", field: "title", count: 1, codePoints: ["U+202E"] },
      { locale: "zh-CN", field: "body", count: 2, codePoints: ["U+202E", "U+202C"] },
    ]);
  });
});

describe("the other content warnings in the admin pages", () => {
  it("the review flags placeholders and an unchanged text, as the import does", async () => {
    const draft = await newDraft();
    const latest = await lib.prisma.agreementVersion.findFirstOrThrow({
      where: { publishedAt: { not: null } },
      orderBy: { number: "desc" },
    });
    const unchanged = await review.reviewDraftText(draft.id, {
      title: draft.title,
      bodyMarkdown: latest.bodyMarkdown,
    });
    expect(unchanged.warnings.map((w) => w.kind)).toContain("unchanged");
    const placeholder = await review.reviewDraftText(draft.id, {
      title: draft.title,
      bodyMarkdown: `${latest.bodyMarkdown}\n\nWrite to {{ support_email }}.`,
    });
    expect(placeholder.warnings.map((w) => [w.kind, w.examples])).toEqual([
      ["placeholder", ["{{ support_email }}"]],
    ]);
  });
});
