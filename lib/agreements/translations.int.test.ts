import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { prisma } from "@/lib/db";
import { locales } from "@/lib/i18n/locales";
import { agreementBodySha256, purposeNoticeSha256 } from "@/lib/agreements/notice-hash";
import { getVersionInEffect } from "@/lib/agreements/versions";
import { textForReader } from "@/lib/agreements/translations";
import { acceptAgreement } from "@/lib/consent/accept-agreement";
import { createUser } from "@/lib/users/create-user";
import { changePurposeConsent } from "@/lib/consent/change-purpose";
import { getPreferences } from "@/lib/consent/preferences";
import { getPurposesNeedingFreshConsent } from "@/lib/agreements/reconsent";
import { readSubjectStatus } from "@/lib/service-api/status";

const meta = { ipTruncated: "203.0.113.0", userAgent: "vitest", locale: "zh-CN,zh;q=0.9" };

describe("the seed's translations", () => {
  it("every published version and purpose is translated into every interface language, or marked untranslated", async () => {
    const versions = await prisma.agreementVersion.findMany({
      where: { publishedAt: { not: null } },
      select: {
        number: true,
        locale: true,
        translations: { select: { locale: true } },
        purposes: { select: { key: true, translations: { select: { locale: true } } } },
      },
    });
    expect(versions.length).toBeGreaterThan(0);
    for (const version of versions) {
      for (const locale of locales.filter((l) => l !== version.locale)) {
        expect(
          version.translations.map((t) => t.locale),
          `version ${version.number} in ${locale}`,
        ).toContain(locale);
        for (const purpose of version.purposes) {
          expect(
            purpose.translations.map((t) => t.locale),
            `${purpose.key} in ${locale}`,
          ).toContain(locale);
        }
      }
    }
  });

  it("version 1's Chinese text is a published translation; the English text prevails", async () => {
    const version = await getVersionInEffect();
    const shown = await textForReader(version!, "zh-CN");
    expect(shown).toMatchObject({ locale: "zh-CN", isTranslation: true, authoritativeLocale: "en" });
    expect(shown.bodyMarkdown).toContain("环信非常重视您的隐私");
    expect(shown.bodySha256).toBe(agreementBodySha256(shown.bodyMarkdown));
    expect(await textForReader(version!, "zh-CN", "authoritative")).toMatchObject({
      locale: "en",
      isTranslation: false,
    });
    expect(await textForReader(version!, "en-GB")).toMatchObject({
      locale: "en",
      bodySha256: version!.bodySha256,
    });
  });
});

describe("accepting a translation", () => {
  it("records the locale and hash of the Chinese text shown; a hash of no text of the version is refused", async () => {
    const created = await createUser({
      email: `zh-${randomUUID()}@int.accord.test`,
      password: "correct horse battery staple",
    });
    if (!created.ok) throw new Error(created.message);
    const version = await getVersionInEffect();
    const zh = await textForReader(version!, "zh-CN");
    const refused = await acceptAgreement({
      subjectId: created.data.id,
      versionId: version!.id,
      shownSha256: agreementBodySha256("some other text"),
      method: "WEB",
      meta,
    });
    expect(refused).toMatchObject({ ok: false, code: "text_mismatch" });
    const accepted = await acceptAgreement({
      subjectId: created.data.id,
      versionId: version!.id,
      shownSha256: zh.bodySha256,
      method: "WEB",
      meta,
    });
    expect(accepted.ok).toBe(true);
    const event = await prisma.consentEvent.findFirstOrThrow({ where: { subjectId: created.data.id } });
    expect(event).toMatchObject({
      noticeSha256: zh.bodySha256,
      locale: "zh-CN",
      versionNumber: version!.number,
    });
    expect(event.noticeSha256).not.toBe(version!.bodySha256);
  });
});

describe("consenting to a translated purpose notice", () => {
  it("records the Chinese notice's hash and locale, and the grant counts in every language and in the API", async () => {
    const created = await createUser({
      email: `zh-purpose-${randomUUID()}@int.accord.test`,
      password: "correct horse battery staple",
    });
    if (!created.ok) throw new Error(created.message);
    const subjectId = created.data.id;
    const version = await getVersionInEffect();
    const zhText = await textForReader(version!, "zh-CN");
    await acceptAgreement({
      subjectId,
      versionId: version!.id,
      shownSha256: zhText.bodySha256,
      method: "WEB",
      meta,
    });

    const zh = await getPreferences(subjectId, "zh-CN");
    const surveys = zh.purposes.find((p) => p.key === "surveys")!;
    expect(surveys).toMatchObject({ name: "问卷调查", noticeLocale: "zh-CN", isTranslation: true });
    expect(surveys.noticeSha256).toBe(
      purposeNoticeSha256({
        key: "surveys",
        name: surveys.name,
        description: surveys.description,
        basic: false,
      }),
    );

    const stale = await changePurposeConsent({
      subjectId,
      purposeKey: "surveys",
      action: "grant",
      method: "WEB",
      meta: { ...meta, gpc: false },
      idempotencyKey: `web:${randomUUID()}`,
      noticeSha256: "f".repeat(64),
    });
    expect(stale).toMatchObject({ ok: false, code: "stale_notice" });

    const granted = await changePurposeConsent({
      subjectId,
      purposeKey: "surveys",
      action: "grant",
      method: "WEB",
      meta: { ...meta, gpc: false },
      idempotencyKey: `web:${randomUUID()}`,
      noticeSha256: surveys.noticeSha256,
    });
    expect(granted.ok).toBe(true);
    const event = await prisma.consentEvent.findFirstOrThrow({
      where: { subjectId, purposeKey: "surveys" },
    });
    expect(event).toMatchObject({ noticeSha256: surveys.noticeSha256, locale: "zh-CN" });

    const inChinese = await getPreferences(subjectId, "zh-CN");
    const inEnglish = await getPreferences(subjectId, "en");
    expect(inChinese.purposes.find((p) => p.key === "surveys")?.consent).toBe("granted");
    expect(inEnglish.purposes.find((p) => p.key === "surveys")).toMatchObject({
      consent: "granted",
      name: "Surveys",
      isTranslation: false,
    });
    expect(await getPurposesNeedingFreshConsent(subjectId)).toEqual([]);
    const status = await readSubjectStatus(subjectId);
    expect(status.purposes.find((p) => p.key === "surveys")).toMatchObject({
      consent: "granted",
      granted: true,
    });
  });
});
