import "server-only";
import { prisma } from "@/lib/db";
import { env } from "@/lib/env";
import { now } from "@/lib/clock";
import { fail, ok, type FieldErrors, type Result } from "@/lib/result";
import { agreementBodySha256 } from "@/lib/agreements/notice-hash";
import { checkPublishRules } from "@/lib/agreements/publish-rules";
import { materialPurposeReasons } from "@/lib/agreements/purpose-changes";
import { getSettings } from "@/lib/settings";
import { guardImmutable, isFailure, lockDraft } from "@/lib/agreements/draft-lock";
import { auditVersion, type AdminContext } from "@/lib/agreements/drafts";
import type { PublishInput } from "@/lib/agreements/schemas";
import { queueVersionNotifications } from "@/lib/notifications/queue";
import { storeRenderingAndDiff } from "@/lib/agreements/render/store";
import { invalidateAgreementPages } from "@/lib/agreements/render/page-generation";
import { bidiRefusal, draftBidiFindings } from "@/lib/agreements/content-review";

export interface PublishedResult {
  id: string;
  number: number;
  effectiveAt: Date;
  material: boolean;
  notificationRunId: string | null;
  recipients: number;
}

// Queueing a million notifications takes seconds; Prisma's default of 5 s would abort it.
const PUBLISH_TIMEOUT_MS = 120_000;

/**
 * Publishes a draft: assigns the next number, freezes text, dates and purposes
 * (the trigger enforces it from here on), and for a material version queues
 * the notification emails, all in one transaction with its audit entry.
 */
export async function publishVersion(
  { actor, meta }: AdminContext,
  input: Omit<PublishInput, "reviewed" | "historical" | "label" | "confirmBidi"> & {
    historical?: boolean;
    label?: string | null;
    /** Publish although the text (or a translation) has bidi control characters. */
    confirmBidi?: boolean;
  },
  options: { at?: Date; noticePeriodDays?: number; timeZone?: string } = {},
): Promise<Result<PublishedResult>> {
  const at = options.at ?? now();
  const noticePeriodDays = options.noticePeriodDays ?? env.NOTICE_PERIOD_DAYS;
  const published = await guardImmutable(() =>
    prisma.$transaction(
      async (tx) => {
        // Serialise publishes so numbers and the "not before the latest" rule see each other.
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('accord:publish-version'))`;
        const locked = await lockDraft(tx, input.versionId);
        if (isFailure(locked)) return locked;
        if (!locked.body_markdown.trim())
          return fail(400, "empty_body", "The agreement text cannot be empty.");
        const scope = { key: true, name: true, basic: true, dpvTerm: true, noticeSha256: true } as const;
        const latest = await tx.agreementVersion.findFirst({
          where: { publishedAt: { not: null } },
          orderBy: { number: "desc" },
          select: { number: true, effectiveAt: true, purposes: { select: scope } },
        });
        const draftPurposes = await tx.purpose.findMany({ where: { versionId: locked.id }, select: scope });
        // Compared with the latest published version, scheduled included: what users were last told.
        const materialReasons = latest
          ? materialPurposeReasons(latest.purposes, draftPurposes).map((r) => r.reason)
          : [];
        const rules = checkPublishRules(input, {
          at,
          noticePeriodDays,
          timeZone: options.timeZone ?? getSettings().timeZone,
          latestEffectiveAt: latest?.effectiveAt ?? null,
          materialReasons,
        });
        // Text that can display in another order than the one stored ("Trojan Source") is published
        // only when the admin confirms it is intended; the audit entry records that they did.
        const bidi = await draftBidiFindings(tx, locked);
        const bidiErrors: FieldErrors =
          bidi.length > 0 && !input.confirmBidi ? { confirmBidi: [bidiRefusal(bidi)] } : {};
        if (!rules.ok || Object.keys(bidiErrors).length > 0)
          return fail(400, "invalid_publish", "The version cannot be published as entered.", {
            ...(rules.ok ? {} : rules.fieldErrors),
            ...bidiErrors,
          });

        const number = (latest?.number ?? 0) + 1;
        const bodySha256 = agreementBodySha256(locked.body_markdown);
        const changeSummary = input.changeSummary.trim() || null;
        await tx.agreementVersion.update({
          where: { id: locked.id },
          data: {
            number,
            bodySha256,
            changeSummary,
            material: input.material,
            historical: input.historical ?? false,
            label: input.label ?? null,
            effectiveAt: rules.effectiveAt,
            lastUpdated: rules.lastUpdated,
            publishedAt: at,
            publishedById: actor.id,
            updatedAt: at,
          },
        });
        // Rendered and diffed once, here, in the render worker; served from storage from now on.
        await storeRenderingAndDiff(tx, locked.id);
        // A historical version notifies nobody: it describes the past.
        const run =
          input.material && !input.historical
            ? await queueVersionNotifications(tx, {
                versionId: locked.id,
                versionNumber: number,
                createdById: actor.id,
                at,
              })
            : null;
        await auditVersion(tx, { actor, meta }, "agreement.version.published", locked.id, {
          number,
          title: locked.title,
          bodySha256,
          material: input.material,
          historical: input.historical ?? false,
          label: input.label ?? null,
          changeSummary,
          effectiveAt: rules.effectiveAt.toISOString(),
          lastUpdated: input.lastUpdated,
          notificationRunId: run?.runId ?? null,
          recipients: run?.total ?? 0,
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
        });
        return ok({
          id: locked.id,
          number,
          effectiveAt: rules.effectiveAt,
          material: input.material,
          notificationRunId: run?.runId ?? null,
          recipients: run?.total ?? 0,
        });
      },
      { timeout: PUBLISH_TIMEOUT_MS, maxWait: 10_000 },
    ),
  );
  // Cached public pages of this process go now; other processes see the new fingerprint within a second.
  if (published.ok) invalidateAgreementPages();
  return published;
}
