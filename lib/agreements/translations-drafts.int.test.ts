import { randomUUID } from "node:crypto";
import { agreementBodySha256, purposeNoticeSha256 } from "./notice-hash";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { usePrivateAppDatabase } from "@/tests/helpers/private-app-database";
import { createAdminContext } from "@/tests/helpers/admin-context";
import type { AdminContext } from "./drafts";

// Drafts are created and edited here: this file has its own database.
let db: Awaited<ReturnType<typeof usePrivateAppDatabase>>;
let drafts: typeof import("./drafts");
let admin2: typeof import("./translation-admin");
let lib: typeof import("@/lib/db");
let admin: AdminContext;

beforeAll(async () => {
  db = await usePrivateAppDatabase();
  [drafts, lib, admin2] = await Promise.all([
    import("./drafts"),
    import("@/lib/db"),
    import("./translation-admin"),
  ]);
  admin = await createAdminContext({ ipTruncated: "198.51.100.0", userAgent: "vitest admin" });
});

afterAll(async () => {
  await db?.release();
});

/** A draft version with one purpose, for trigger tests. */
async function draftVersion() {
  const body = `# Draft ${randomUUID()}`;
  return lib.prisma.agreementVersion.create({
    data: {
      title: "Draft",
      bodyMarkdown: body,
      bodySha256: agreementBodySha256(body),
      purposes: {
        create: [
          {
            key: "surveys",
            name: "Surveys",
            description: "We may invite you to surveys.",
            noticeSha256: purposeNoticeSha256({
              key: "surveys",
              name: "Surveys",
              description: "We may invite you to surveys.",
              basic: false,
            }),
          },
        ],
      },
    },
    include: { purposes: true },
  });
}

function zhTranslation(versionId: string, publishedAt: Date | null = null) {
  const body = `# 草稿 ${randomUUID()}`;
  return lib.prisma.agreementTranslation.create({
    data: {
      versionId,
      locale: "zh-CN",
      title: "草稿",
      bodyMarkdown: body,
      bodySha256: agreementBodySha256(body),
      publishedAt,
    },
  });
}

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

describe("saving translations", () => {
  it("edits a draft's translation with its purposes, and refuses half a purpose, NUL and the authoritative language", async () => {
    const draft = await drafts.createDraft(admin);
    if (!draft.ok) throw new Error(draft.message);
    const versionId = draft.data.id;
    const saved = await admin2.saveTranslation(admin, {
      versionId,
      locale: "zh-CN",
      title: "用户隐私协议（修订）",
      bodyMarkdown: "## 1. 新文本",
      "purpose.surveys.name": "问卷",
      "purpose.surveys.description": "我们可能邀请您参与调查。",
      "purpose.optimisation.name": "",
      "purpose.optimisation.description": "",
    });
    expect(saved).toMatchObject({ ok: true, data: { locale: "zh-CN", published: false } });
    const stored = await lib.prisma.agreementTranslation.findFirstOrThrow({
      where: { versionId, locale: "zh-CN" },
    });
    expect(stored).toMatchObject({
      title: "用户隐私协议（修订）",
      bodyMarkdown: "## 1. 新文本",
      publishedAt: null,
    });
    // The form replaces the draft's purpose translations: optimisation was left empty, so it is untranslated now.
    const purposeTranslations = await lib.prisma.purposeTranslation.findMany({
      where: { locale: "zh-CN", purpose: { versionId } },
      include: { purpose: { select: { key: true } } },
    });
    expect(purposeTranslations.map((p) => [p.purpose.key, p.name])).toEqual([["surveys", "问卷"]]);

    const half = await admin2.saveTranslation(admin, {
      versionId,
      locale: "zh-CN",
      title: "标题",
      bodyMarkdown: "正文",
      "purpose.surveys.name": "问卷",
      "purpose.surveys.description": "",
    });
    expect(half).toMatchObject({ ok: false, status: 400 });
    expect(half.ok ? null : half.fieldErrors).toHaveProperty(["purpose.surveys.description"]);
    const { translationFormSchema } = await import("./translation-schemas");
    expect(
      translationFormSchema.safeParse({ versionId, locale: "zh-CN", title: "a\u0000b", bodyMarkdown: "x" })
        .success,
    ).toBe(false);
    const own = await admin2.saveTranslation(admin, {
      versionId,
      locale: "en",
      title: "t",
      bodyMarkdown: "b",
    });
    expect(own).toMatchObject({ ok: false, status: 400 });
  });

  it("adds a translation to a published version once, published at once and audited", async () => {
    const prisma = lib.prisma;
    const published = await prisma.agreementVersion.findFirstOrThrow({ where: { number: 1 } });
    await prisma.agreementTranslation.deleteMany({ where: { versionId: published.id, publishedAt: null } });
    // Version 1 already has its seed translation: a second one into zh-CN is refused.
    const again = await admin2.saveTranslation(admin, {
      versionId: published.id,
      locale: "zh-CN",
      title: "另一个翻译",
      bodyMarkdown: "正文",
    });
    expect(again).toMatchObject({ ok: false, code: "translation_published" });
    // A version published without a Chinese translation gains one, once.
    const draft = await drafts.createDraft(admin);
    if (!draft.ok) throw new Error(draft.message);
    await prisma.agreementTranslation.deleteMany({ where: { versionId: draft.data.id } });
    await prisma.purposeTranslation.deleteMany({
      where: { purpose: { versionId: draft.data.id, key: "surveys" } },
    });
    await prisma.agreementVersion.update({
      where: { id: draft.data.id },
      data: { publishedAt: new Date(), number: 9003 },
    });
    const added = await admin2.saveTranslation(admin, {
      versionId: draft.data.id,
      locale: "zh-CN",
      title: "用户隐私协议",
      bodyMarkdown: "## 1. 后来添加的翻译",
      "purpose.surveys.name": "问卷调查",
      "purpose.surveys.description": "我们可能邀请您参与调查。",
    });
    expect(added).toMatchObject({ ok: true, data: { published: true } });
    const row = await prisma.agreementTranslation.findFirstOrThrow({ where: { versionId: draft.data.id } });
    expect(row.publishedAt).not.toBeNull();
    expect(
      await prisma.purposeTranslation.findFirst({
        where: { locale: "zh-CN", purpose: { versionId: draft.data.id, key: "surveys" } },
        select: { name: true, publishedAt: true },
      }),
    ).toMatchObject({ name: "问卷调查", publishedAt: expect.any(Date) });
    const audit = await prisma.auditLogEntry.findMany({
      where: { targetId: draft.data.id, action: { startsWith: "agreement.translation" } },
    });
    expect(audit.map((a) => a.action)).toEqual(["agreement.translation.added"]);
    const second = await admin2.saveTranslation(admin, {
      versionId: draft.data.id,
      locale: "zh-CN",
      title: "改写",
      bodyMarkdown: "改写",
    });
    expect(second).toMatchObject({ ok: false, code: "translation_published" });
  });
});

describe("publishing a translated version", () => {
  it("stores each translation's HTML and its diff against the previous version's translation", async () => {
    const publish = await import("./publish");
    const draft = await drafts.createDraft(admin);
    if (!draft.ok) throw new Error(draft.message);
    const prisma = lib.prisma;
    const edited = await admin2.saveTranslation(admin, {
      versionId: draft.data.id,
      locale: "zh-CN",
      title: "用户隐私协议",
      bodyMarkdown: "## 1. 我们收集哪些信息\n\n修订后的中文文本。",
    });
    expect(edited.ok).toBe(true);
    const at = new Date(Date.now() + 365 * 86_400_000);
    const published = await publish.publishVersion(
      admin,
      {
        versionId: draft.data.id,
        effectiveDate: at.toISOString().slice(0, 10),
        lastUpdated: at.toISOString().slice(0, 10),
        changeSummary: "",
        material: false,
      },
      { at },
    );
    expect(published.ok, published.ok ? "" : published.message).toBe(true);
    const translation = await prisma.agreementTranslation.findFirstOrThrow({
      where: { versionId: draft.data.id, locale: "zh-CN" },
      include: { rendering: true, diffsTo: true },
    });
    expect(translation.publishedAt).not.toBeNull();
    expect(translation.rendering?.html).toContain("修订后的中文文本");
    expect(translation.diffsTo).toHaveLength(1);
  });
});

describe("translations freeze with their version", () => {
  it("publishing a version publishes its draft translations, which then cannot change", async () => {
    const draft = await draftVersion();
    const translation = await zhTranslation(draft.id);
    await lib.prisma.purposeTranslation.create({
      data: {
        purposeId: draft.purposes[0]!.id,
        locale: "zh-CN",
        name: "问卷调查",
        description: "我们可能邀请您参与调查。",
        noticeSha256: "0".repeat(64),
      },
    });
    await lib.prisma.agreementTranslation.update({
      where: { id: translation.id },
      data: { title: "草稿（已编辑）" },
    });
    const publishedAt = new Date();
    await lib.prisma.agreementVersion.update({
      where: { id: draft.id },
      data: { publishedAt, number: 9001 },
    });
    const after = await lib.prisma.agreementTranslation.findUniqueOrThrow({ where: { id: translation.id } });
    expect(after.publishedAt?.getTime()).toBe(publishedAt.getTime());
    const purposeTranslation = await lib.prisma.purposeTranslation.findFirstOrThrow({
      where: { purposeId: draft.purposes[0]!.id },
    });
    expect(purposeTranslation.publishedAt?.getTime()).toBe(publishedAt.getTime());
    await expect(
      lib.prisma.agreementTranslation.update({
        where: { id: translation.id },
        data: { bodyMarkdown: "changed" },
      }),
    ).rejects.toThrow(/immutable/);
    await expect(lib.prisma.agreementTranslation.delete({ where: { id: translation.id } })).rejects.toThrow(
      /immutable/,
    );
    await expect(
      lib.prisma.purposeTranslation.update({
        where: { id: purposeTranslation.id },
        data: { name: "changed" },
      }),
    ).rejects.toThrow(/immutable/);
  });

  it("a published version gains a translation only as a record published from the start", async () => {
    const draft = await draftVersion();
    await lib.prisma.agreementVersion.update({
      where: { id: draft.id },
      data: { publishedAt: new Date(), number: 9002 },
    });
    await expect(zhTranslation(draft.id, null)).rejects.toThrow(/must be published/);
    const added = await zhTranslation(draft.id, new Date());
    expect(added.publishedAt).not.toBeNull();
  });
});

describe("saving a large rewrite", () => {
  it("commits a 50 KB full rewrite without diffing it in the transaction (the admin's text is kept)", async () => {
    const draft = await drafts.createDraft(admin);
    if (!draft.ok) throw new Error(draft.message);
    // Two unrelated ~50 KB texts: the word diff of such a pair once took minutes.
    const words = (seed: number) =>
      Array.from({ length: 8_000 }, (_, i) => `w${(i * seed) % 9973}`).join(" ");
    const rewrite = `## 1. Rewritten\n\n${words(7)}`;
    const saved = await drafts.updateDraft(admin, {
      versionId: draft.data.id,
      title: "Rewrite",
      bodyMarkdown: rewrite,
    });
    expect(saved.ok).toBe(true);
    const stored = await lib.prisma.agreementVersion.findUniqueOrThrow({ where: { id: draft.data.id } });
    expect(stored.bodyMarkdown).toBe(rewrite);
  });
});
