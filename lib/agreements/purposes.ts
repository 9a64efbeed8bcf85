import "server-only";
import { prisma } from "@/lib/db";

export const purposeFields = {
  id: true,
  key: true,
  name: true,
  description: true,
  basic: true,
  dpvTerm: true,
  position: true,
  noticeSha256: true,
} as const;

/** The purposes a version declares, in the order the agreement presents them. */
export async function getPurposesOfVersion(versionId: string) {
  return prisma.purpose.findMany({
    where: { versionId },
    orderBy: [{ position: "asc" }, { key: "asc" }],
    select: purposeFields,
  });
}

export type VersionPurpose = Awaited<ReturnType<typeof getPurposesOfVersion>>[number];

/** A purpose as a reader of one language is shown it. */
export interface ReaderPurpose extends VersionPurpose {
  /** The language of the name and notice shown (a translation's, or the version's own). */
  noticeLocale: string;
  /** True when the name and notice shown are a translation; the authoritative notice prevails. */
  isTranslation: boolean;
  /** The authoritative notice's hash (equal to noticeSha256 when no translation is shown). */
  authoritativeNoticeSha256: string;
  /** The notice's hashes in every published translation (effective-consent.ts). */
  translationNoticeSha256s: string[];
}

/**
 * The purposes of a version for a reader of `locale`: each with its name and
 * notice in that language when a published translation exists, the hash of
 * exactly that text, and the hashes of the notice in every other published
 * language, so a grant given in any of them counts.
 */
export async function getPurposesForReader(versionId: string, locale: string): Promise<ReaderPurpose[]> {
  const purposes = await prisma.purpose.findMany({
    where: { versionId },
    orderBy: [{ position: "asc" }, { key: "asc" }],
    select: {
      ...purposeFields,
      version: { select: { locale: true } },
      translations: {
        where: { publishedAt: { not: null } },
        select: { locale: true, name: true, description: true, noticeSha256: true },
      },
    },
  });
  return purposes.map(({ version, translations, ...purpose }) =>
    presentPurposeToReader(purpose, version.locale, translations, locale),
  );
}

/** A purpose stored with its published translations. */
export interface TranslatedPurpose {
  locale: string;
  name: string;
  description: string;
  noticeSha256: string;
}

/**
 * How one purpose is shown to a reader of `locale` (pure): the translation
 * in that language or its base language when one is published, else the
 * version's own text. Shared by getPurposesForReader and the one-query read
 * of GET /api/v1/me/consent (lib/service-api/my-consent.ts).
 */
export function presentPurposeToReader(
  purpose: VersionPurpose,
  versionLocale: string,
  translations: readonly TranslatedPurpose[],
  locale: string,
): ReaderPurpose {
  const language = (tag: string) => tag.toLowerCase().split("-")[0];
  const own = language(versionLocale) === language(locale);
  const translation = own
    ? undefined
    : (translations.find((t) => t.locale.toLowerCase() === locale.toLowerCase()) ??
      translations.find((t) => language(t.locale) === language(locale)));
  return {
    ...purpose,
    ...(translation
      ? {
          name: translation.name,
          description: translation.description,
          noticeSha256: translation.noticeSha256,
        }
      : {}),
    noticeLocale: translation?.locale ?? versionLocale,
    isTranslation: translation !== undefined,
    authoritativeNoticeSha256: purpose.noticeSha256,
    translationNoticeSha256s: translations.map((t) => t.noticeSha256),
  };
}
