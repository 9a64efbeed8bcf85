import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { usePrivateAppDatabase } from "@/tests/helpers/private-app-database";
import { createAdminContext } from "@/tests/helpers/admin-context";
import type { AdminContext } from "./drafts";

// Drafts are created and edited here: this file has its own database.
let db: Awaited<ReturnType<typeof usePrivateAppDatabase>>;
let drafts: typeof import("./drafts");
let lib: typeof import("@/lib/db");
let admin: AdminContext;

beforeAll(async () => {
  db = await usePrivateAppDatabase();
  [drafts, lib] = await Promise.all([import("./drafts"), import("@/lib/db")]);
  admin = await createAdminContext({ ipTruncated: "198.51.100.0", userAgent: "vitest admin" });
});

afterAll(async () => {
  await db?.release();
});

describe("translations of a draft", () => {
  it("start as copies of the base version's, and a purpose whose notice changes loses its stale translation", async () => {
    const draft = await drafts.createDraft(admin);
    if (!draft.ok) throw new Error(draft.message);
    const prisma = lib.prisma;
    const copied = await prisma.agreementTranslation.findMany({ where: { versionId: draft.data.id } });
    expect(copied.map((t) => [t.locale, t.publishedAt])).toEqual([["zh-CN", null]]);
    expect(copied[0]!.bodyMarkdown).toContain("环信非常重视您的隐私");

    const surveys = await prisma.purpose.findFirstOrThrow({
      where: { versionId: draft.data.id, key: "surveys" },
      include: { translations: true },
    });
    expect(surveys.translations.map((t) => t.name)).toEqual(["问卷调查"]);
    const changed = await drafts.updatePurpose(admin, {
      versionId: draft.data.id,
      purposeId: surveys.id,
      name: surveys.name,
      description: "We may share your survey answers with research partners.",
      basic: false,
      dpvTerm: surveys.dpvTerm,
    });
    expect(changed.ok).toBe(true);
    expect(await prisma.purposeTranslation.count({ where: { purposeId: surveys.id } })).toBe(0);
    const personalisation = await prisma.purpose.findFirstOrThrow({
      where: { versionId: draft.data.id, key: "personalisation" },
      include: { translations: true },
    });
    expect(personalisation.translations).toHaveLength(1);
  });
});
