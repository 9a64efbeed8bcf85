import "server-only";
import { prisma } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";

/** What a reader is shown of one version: its own text, or a translation of it. */
export interface ShownText {
  /** The version's id for its own text, the translation's id for a translation. */
  id: string;
  kind: "version" | "translation";
  /** BCP 47 language of this text. */
  locale: string;
  title: string;
  bodyMarkdown: string;
  /** SHA-256 (hex) of bodyMarkdown: what acceptance records as the notice shown. */
  bodySha256: string;
  /** False for the authoritative text; true for a translation of it. */
  isTranslation: boolean;
  /** The language of the authoritative text, which prevails. */
  authoritativeLocale: string;
}

interface VersionText {
  id: string;
  locale: string;
  title: string;
  bodyMarkdown: string;
  bodySha256: string;
}

/** Same language, ignoring region and case: "zh-CN" matches "zh-cn" and "zh". */
function sameLanguage(a: string, b: string): boolean {
  return a.toLowerCase().split("-")[0] === b.toLowerCase().split("-")[0];
}

function authoritative(version: VersionText): ShownText {
  return {
    id: version.id,
    kind: "version",
    locale: version.locale,
    title: version.title,
    bodyMarkdown: version.bodyMarkdown,
    bodySha256: version.bodySha256,
    isTranslation: false,
    authoritativeLocale: version.locale,
  };
}

/**
 * The text of `version` for a reader of `readerLocale`: a translation into that
 * language when the version has one, its own text otherwise. `prefer:
 * "authoritative"` always gives the version's own text (the "which text
 * prevails" link).
 */
export async function textForReader(
  version: VersionText,
  readerLocale: string,
  prefer: "reader" | "authoritative" = "reader",
): Promise<ShownText> {
  if (prefer === "authoritative" || sameLanguage(version.locale, readerLocale)) return authoritative(version);
  const translations = await prisma.agreementTranslation.findMany({
    where: { versionId: version.id, publishedAt: { not: null } },
    select: { id: true, locale: true, title: true, bodyMarkdown: true, bodySha256: true },
  });
  const match =
    translations.find((t) => t.locale.toLowerCase() === readerLocale.toLowerCase()) ??
    translations.find((t) => sameLanguage(t.locale, readerLocale));
  if (!match) return authoritative(version);
  return { ...match, kind: "translation", isTranslation: true, authoritativeLocale: version.locale };
}

/**
 * The texts of a version a reader may have been shown, by SHA-256: its own
 * and every translation that is part of it. Acceptance checks the hash the
 * page sends back against these and records the one it matches.
 */
export async function shownTextsBySha256(versionId: string): Promise<Map<string, { locale: string }>> {
  const version = await prisma.agreementVersion.findUnique({
    where: { id: versionId },
    select: {
      locale: true,
      bodySha256: true,
      translations: { where: { publishedAt: { not: null } }, select: { locale: true, bodySha256: true } },
    },
  });
  const texts = new Map<string, { locale: string }>();
  if (!version) return texts;
  texts.set(version.bodySha256, { locale: version.locale });
  for (const t of version.translations) texts.set(t.bodySha256, { locale: t.locale });
  return texts;
}

/** Each translation of a version, for the versions pages' language links. */
export async function listTranslations(versionId: string) {
  return prisma.agreementTranslation.findMany({
    where: { versionId },
    select: { id: true, locale: true, title: true, bodySha256: true, publishedAt: true, updatedAt: true },
    orderBy: { locale: "asc" },
  });
}

/**
 * A new draft starts from its base version's translations, as it starts from
 * its text and purposes: the admin edits them with the rest and they freeze
 * with the draft when it is published.
 */
export async function copyTranslationsToDraft(
  tx: Prisma.TransactionClient,
  fromVersionId: string,
  toVersionId: string,
): Promise<void> {
  const [translations, purposeTranslations, draftPurposes] = await Promise.all([
    tx.agreementTranslation.findMany({
      where: { versionId: fromVersionId },
      select: { locale: true, title: true, bodyMarkdown: true, bodySha256: true },
    }),
    tx.purposeTranslation.findMany({
      where: { purpose: { versionId: fromVersionId } },
      select: {
        locale: true,
        name: true,
        description: true,
        noticeSha256: true,
        purpose: { select: { key: true } },
      },
    }),
    tx.purpose.findMany({ where: { versionId: toVersionId }, select: { id: true, key: true } }),
  ]);
  if (translations.length > 0) {
    await tx.agreementTranslation.createMany({
      data: translations.map((t) => ({ ...t, versionId: toVersionId })),
    });
  }
  const purposeIds = new Map(draftPurposes.map((p) => [p.key, p.id]));
  const copies = purposeTranslations.flatMap(({ purpose, ...t }) => {
    const purposeId = purposeIds.get(purpose.key);
    return purposeId ? [{ ...t, purposeId }] : [];
  });
  if (copies.length > 0) await tx.purposeTranslation.createMany({ data: copies });
}

/**
 * The title and text hash a reader of `locale` is shown for a version: its
 * translation's when one is published, else the version's own. The accept
 * button sends the hash back, so the event records the text actually read.
 */
export async function shownTitleAndHash<V extends { id: string; title: string; bodySha256: string }>(
  version: V,
  locale: string,
): Promise<V> {
  const language = locale.toLowerCase().split("-")[0];
  const translations = await prisma.agreementTranslation.findMany({
    where: { versionId: version.id, publishedAt: { not: null } },
    select: { locale: true, title: true, bodySha256: true },
  });
  const own = await prisma.agreementVersion.findUnique({
    where: { id: version.id },
    select: { locale: true },
  });
  if (!own || own.locale.toLowerCase().split("-")[0] === language) return version;
  const match =
    translations.find((t) => t.locale.toLowerCase() === locale.toLowerCase()) ??
    translations.find((t) => t.locale.toLowerCase().split("-")[0] === language);
  return match ? { ...version, title: match.title, bodySha256: match.bodySha256 } : version;
}
