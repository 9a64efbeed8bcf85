import "server-only";
import { prisma } from "@/lib/db";
import { now } from "@/lib/clock";
import { fail, ok, type Result } from "@/lib/result";
import { agreementBodySha256, purposeNoticeSha256 } from "@/lib/agreements/notice-hash";
import { auditVersion, type AdminContext } from "@/lib/agreements/drafts";
import {
  confirmsBidi,
  purposeTranslationsOf,
  type TranslationFormInput,
} from "@/lib/agreements/translation-schemas";
import { bidiFindings, bidiRefusal } from "@/lib/agreements/content-review";
import { fieldMessage } from "@/lib/validation/messages";

/** A version with its translations and purposes, for the translations page. */
export async function getVersionTranslations(versionId: string) {
  return prisma.agreementVersion.findUnique({
    where: { id: versionId },
    select: {
      id: true,
      number: true,
      title: true,
      locale: true,
      publishedAt: true,
      translations: {
        select: { locale: true, title: true, bodyMarkdown: true, bodySha256: true, publishedAt: true },
        orderBy: { locale: "asc" },
      },
      purposes: {
        orderBy: [{ position: "asc" }, { key: "asc" }],
        select: {
          key: true,
          name: true,
          description: true,
          translations: { select: { locale: true, name: true, description: true, publishedAt: true } },
        },
      },
    },
  });
}

export type VersionTranslations = NonNullable<Awaited<ReturnType<typeof getVersionTranslations>>>;

/**
 * Saves a translation. Of a draft: created or replaced, purposes included,
 * and frozen later with the draft. Of a published version: only added, for a
 * language it has none in, published at once as its own audited record; it
 * never touches the authoritative text or what anyone accepted.
 */
export async function saveTranslation(
  context: AdminContext,
  input: TranslationFormInput,
): Promise<Result<{ locale: string; bodySha256: string; published: boolean }>> {
  const purposeInput = purposeTranslationsOf(input);
  if (!purposeInput.ok) {
    return fail(400, "invalid_input", "Some fields need attention.", purposeInput.fieldErrors);
  }
  return prisma.$transaction(async (tx) => {
    // FOR UPDATE: publishing the version waits for this save, or this save sees it published.
    const [version] = await tx.$queryRaw<{ id: string; locale: string; published_at: Date | null }[]>`
      SELECT id::text, locale, published_at FROM agreement_versions WHERE id = ${input.versionId}::uuid FOR UPDATE`;
    if (!version) return fail(404, "version_not_found", "This version does not exist.");
    if (version.locale === input.locale) {
      return fail(400, "invalid_input", "Some fields need attention.", {
        locale: [fieldMessage("translationOwnLocale")],
      });
    }
    const purposes = await tx.purpose.findMany({
      where: { versionId: version.id },
      select: { id: true, key: true, basic: true },
    });
    const byKey = new Map(purposes.map((p) => [p.key, p]));
    const unknown = purposeInput.purposes.find((p) => !byKey.has(p.key));
    if (unknown) return fail(400, "unknown_purpose", `This version has no purpose "${unknown.key}".`);
    const published = version.published_at !== null;
    const existing = await tx.agreementTranslation.findUnique({
      where: { versionId_locale: { versionId: version.id, locale: input.locale } },
      select: { id: true },
    });
    if (published && existing) {
      return fail(
        409,
        "translation_published",
        "This version is published and already has a translation into this language: published translations cannot change.",
      );
    }
    // Published at once: bidi control characters need the admin's confirmation now, as at a publish.
    const bidi = published ? bidiFindings(input) : [];
    if (bidi.length > 0 && !confirmsBidi(input)) {
      return fail(400, "invalid_input", "Some fields need attention.", { confirmBidi: [bidiRefusal(bidi)] });
    }
    const at = now();
    const bodySha256 = agreementBodySha256(input.bodyMarkdown);
    const publishedAt = published ? at : null;
    const data = { title: input.title, bodyMarkdown: input.bodyMarkdown, bodySha256 };
    await tx.agreementTranslation.upsert({
      where: { versionId_locale: { versionId: version.id, locale: input.locale } },
      create: {
        ...data,
        versionId: version.id,
        locale: input.locale,
        publishedAt,
        createdById: context.actor.id,
      },
      update: data,
    });
    if (!published) {
      await tx.purposeTranslation.deleteMany({
        where: { locale: input.locale, purpose: { versionId: version.id } },
      });
    }
    // A published version's purposes may already be translated: those stay as they are.
    const frozen = published
      ? new Map(
          (
            await tx.purposeTranslation.findMany({
              where: { locale: input.locale, purpose: { versionId: version.id } },
              select: { name: true, description: true, purpose: { select: { key: true } } },
            })
          ).map((t) => [t.purpose.key, t]),
        )
      : new Map<string, { name: string; description: string }>();
    const changedFrozen = purposeInput.purposes.filter((p) => {
      const t = frozen.get(p.key);
      return t && (t.name !== p.name || t.description !== p.description);
    });
    if (changedFrozen.length > 0) {
      return fail(
        409,
        "translation_published",
        "Published purpose translations cannot change.",
        Object.fromEntries(
          changedFrozen.map((p) => [`purpose.${p.key}.name`, [fieldMessage("translationFrozen")]]),
        ),
      );
    }
    for (const p of purposeInput.purposes.filter((p) => !frozen.has(p.key))) {
      const purpose = byKey.get(p.key)!;
      await tx.purposeTranslation.create({
        data: {
          purposeId: purpose.id,
          locale: input.locale,
          name: p.name,
          description: p.description,
          noticeSha256: purposeNoticeSha256({
            key: p.key,
            name: p.name,
            description: p.description,
            basic: purpose.basic,
          }),
          publishedAt,
        },
      });
    }
    await auditVersion(
      tx,
      context,
      published ? "agreement.translation.added" : "agreement.translation.saved",
      version.id,
      {
        locale: input.locale,
        bodySha256,
        purposes: purposeInput.purposes.map((p) => p.key),
        ...(bidi.length > 0
          ? {
              bidiControlsConfirmed: bidi.map(({ locale, field, count, codePoints }) => ({
                locale,
                field,
                count,
                codePoints,
              })),
            }
          : {}),
      },
    );
    return ok({ locale: input.locale, bodySha256, published });
  });
}

/** Removes a draft's translation into one language (published ones are immutable). */
export async function deleteDraftTranslation(
  context: AdminContext,
  versionId: string,
  locale: string,
): Promise<Result<{ locale: string }>> {
  return prisma.$transaction(async (tx) => {
    const [version] = await tx.$queryRaw<{ published_at: Date | null }[]>`
      SELECT published_at FROM agreement_versions WHERE id = ${versionId}::uuid FOR UPDATE`;
    if (!version) return fail(404, "version_not_found", "This version does not exist.");
    if (version.published_at) {
      return fail(409, "translation_published", "Translations of a published version cannot be removed.");
    }
    await tx.purposeTranslation.deleteMany({ where: { locale, purpose: { versionId } } });
    const removed = await tx.agreementTranslation.deleteMany({ where: { versionId, locale } });
    if (removed.count === 0)
      return fail(404, "translation_not_found", "There is no translation into this language.");
    await auditVersion(tx, context, "agreement.translation.deleted", versionId, { locale });
    return ok({ locale });
  });
}
