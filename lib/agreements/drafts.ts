import "server-only";
import { copyTranslationsToDraft } from "@/lib/agreements/translations";
import { prisma } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import { now } from "@/lib/clock";
import { recordAudit } from "@/lib/audit-log/record-audit";
import type { Actor } from "@/lib/auth/actor";
import type { RequestMeta } from "@/lib/http/request-meta";
import { fail, ok, type Result } from "@/lib/result";
import { agreementBodySha256, purposeNoticeSha256 } from "@/lib/agreements/notice-hash";
import { guardImmutable, isFailure, lockDraft, type LockedVersion } from "@/lib/agreements/draft-lock";
import type { AddPurposeInput, DraftEditInput, UpdatePurposeInput } from "@/lib/agreements/schemas";
import { fieldMessage } from "@/lib/validation/messages";

export interface AdminContext {
  actor: Actor;
  meta: Pick<RequestMeta, "ipTruncated" | "userAgent">;
}

/**
 * A new draft copying the latest published version's text and purposes. That is
 * the version in effect unless one is scheduled; basing on the scheduled one
 * keeps its changes instead of silently reverting them.
 */
export async function createDraft(context: AdminContext): Promise<Result<{ id: string }>> {
  return prisma.$transaction(async (tx) => {
    const base = await tx.agreementVersion.findFirst({
      where: { publishedAt: { not: null } },
      orderBy: { number: "desc" },
      include: { purposes: { orderBy: { position: "asc" } } },
    });
    if (!base) return fail(409, "nothing_published", "There is no published version to start a draft from.");
    const at = now();
    const draft = await tx.agreementVersion.create({
      data: {
        title: base.title,
        locale: base.locale,
        bodyMarkdown: base.bodyMarkdown,
        bodySha256: base.bodySha256,
        basedOnId: base.id,
        createdById: context.actor.id,
        createdAt: at,
        updatedAt: at,
        purposes: {
          create: base.purposes.map(({ key, name, description, basic, dpvTerm, position, noticeSha256 }) => ({
            key,
            name,
            description,
            basic,
            dpvTerm,
            position,
            noticeSha256,
          })),
        },
      },
      select: { id: true },
    });
    await copyTranslationsToDraft(tx, base.id, draft.id);
    await auditVersion(tx, context, "agreement.draft.created", draft.id, {
      basedOnVersion: base.number,
      basedOnId: base.id,
      bodySha256: base.bodySha256,
    });
    return ok(draft);
  });
}

export async function updateDraft(
  context: AdminContext,
  input: DraftEditInput,
): Promise<Result<{ id: string; bodySha256: string }>> {
  return changeDraft(input.versionId, async (tx, locked) => {
    const bodySha256 = agreementBodySha256(input.bodyMarkdown);
    const changed: string[] = [];
    if (locked.title !== input.title) changed.push("title");
    if (locked.body_sha256 !== bodySha256) changed.push("body");
    if (changed.length === 0) return ok({ id: locked.id, bodySha256 });
    await tx.agreementVersion.update({
      where: { id: locked.id },
      data: { title: input.title, bodyMarkdown: input.bodyMarkdown, bodySha256, updatedAt: now() },
    });
    // No diff here: a save must never do work that grows with the text inside
    // its transaction (a 40 KB rewrite once ran past the transaction timeout and
    // lost the admin's text). The hashes name both texts; the review page diffs
    // them off the request thread (lib/agreements/render).
    await auditVersion(tx, context, "agreement.draft.edited", locked.id, {
      changed,
      ...(changed.includes("title") ? { title: { from: locked.title, to: input.title } } : {}),
      ...(changed.includes("body")
        ? {
            bodySha256: { from: locked.body_sha256, to: bodySha256 },
            bodyBytes: {
              from: Buffer.byteLength(locked.body_markdown, "utf8"),
              to: Buffer.byteLength(input.bodyMarkdown, "utf8"),
            },
          }
        : {}),
    });
    return ok({ id: locked.id, bodySha256 });
  });
}

export async function deleteDraft(context: AdminContext, versionId: string): Promise<Result<{ id: string }>> {
  return changeDraft(versionId, async (tx, locked) => {
    const purposes = await tx.purpose.findMany({ where: { versionId }, select: { key: true } });
    await tx.agreementVersion.delete({ where: { id: versionId } });
    await auditVersion(tx, context, "agreement.draft.deleted", versionId, {
      title: locked.title,
      bodySha256: locked.body_sha256,
      purposeKeys: purposes.map((p) => p.key),
    });
    return ok({ id: versionId });
  });
}

export async function addPurpose(
  context: AdminContext,
  input: AddPurposeInput,
): Promise<Result<{ id: string }>> {
  return changeDraft(input.versionId, async (tx) => {
    const existing = await tx.purpose.findMany({
      where: { versionId: input.versionId },
      select: { key: true, position: true },
    });
    if (existing.some((p) => p.key === input.key)) {
      return fail(409, "purpose_exists", "This version already has a purpose with that key.", {
        key: [fieldMessage("purposeKeyTaken")],
      });
    }
    const { versionId, key, name, description, basic, dpvTerm } = input;
    const created = await tx.purpose.create({
      data: {
        versionId,
        key,
        name,
        description,
        basic,
        dpvTerm,
        position: Math.max(-1, ...existing.map((p) => p.position)) + 1,
        noticeSha256: purposeNoticeSha256({ key, name, description, basic }),
      },
      select: { id: true },
    });
    await touch(tx, versionId);
    await auditVersion(tx, context, "agreement.purpose.added", versionId, {
      key,
      name,
      description,
      basic,
      dpvTerm,
    });
    return ok(created);
  });
}

export async function updatePurpose(
  context: AdminContext,
  input: UpdatePurposeInput,
): Promise<Result<{ id: string }>> {
  return changeDraft(input.versionId, async (tx) => {
    const purpose = await purposeOfDraft(tx, input);
    if (isFailure(purpose)) return purpose;
    const next = {
      name: input.name,
      description: input.description,
      basic: input.basic,
      dpvTerm: input.dpvTerm,
    };
    const changes: Record<string, { from: unknown; to: unknown }> = {};
    for (const field of ["name", "description", "basic", "dpvTerm"] as const) {
      if (purpose[field] !== next[field]) changes[field] = { from: purpose[field], to: next[field] };
    }
    if (Object.keys(changes).length === 0) return ok({ id: purpose.id });
    const noticeSha256 = purposeNoticeSha256({ key: purpose.key, ...next });
    await tx.purpose.update({ where: { id: purpose.id }, data: { ...next, noticeSha256 } });
    // A translation of the old notice no longer translates this one: readers of
    // its language see the authoritative notice until it is translated again,
    // and a grant of the old translation cannot count for the new notice.
    const dropped =
      noticeSha256 === purpose.noticeSha256
        ? { count: 0 }
        : await tx.purposeTranslation.deleteMany({ where: { purposeId: purpose.id } });
    await touch(tx, input.versionId);
    await auditVersion(tx, context, "agreement.purpose.changed", input.versionId, {
      key: purpose.key,
      changes: JSON.parse(JSON.stringify(changes)),
      noticeSha256: { from: purpose.noticeSha256, to: noticeSha256 },
      translationsDropped: dropped.count,
    });
    return ok({ id: purpose.id });
  });
}

/** Retiring removes the purpose from this draft: the new version no longer declares it. */
export async function retirePurpose(
  context: AdminContext,
  input: { versionId: string; purposeId: string },
): Promise<Result<{ id: string }>> {
  return changeDraft(input.versionId, async (tx) => {
    const purpose = await purposeOfDraft(tx, input);
    if (isFailure(purpose)) return purpose;
    await tx.purpose.delete({ where: { id: purpose.id } });
    await touch(tx, input.versionId);
    await auditVersion(tx, context, "agreement.purpose.retired", input.versionId, {
      key: purpose.key,
      name: purpose.name,
      noticeSha256: purpose.noticeSha256,
    });
    return ok({ id: purpose.id });
  });
}

/**
 * Runs a change to a draft in one transaction holding the draft's lock, so a
 * racing publish either sees the change or refuses it (see lockDraft).
 */
async function changeDraft<T>(
  versionId: string,
  change: (tx: Prisma.TransactionClient, locked: LockedVersion) => Promise<Result<T>>,
): Promise<Result<T>> {
  return guardImmutable(() =>
    prisma.$transaction(async (tx) => {
      const locked = await lockDraft(tx, versionId);
      if (isFailure(locked)) return locked;
      return change(tx, locked);
    }),
  );
}

/** The audit entry for a change to a version, committed with the change. */
export async function auditVersion(
  tx: Prisma.TransactionClient,
  { actor, meta }: AdminContext,
  action: string,
  versionId: string,
  details: Prisma.InputJsonValue,
): Promise<void> {
  await recordAudit(
    { actor, meta, action, targetType: "agreement_version", targetId: versionId, details },
    tx,
  );
}

async function purposeOfDraft(tx: Prisma.TransactionClient, input: { versionId: string; purposeId: string }) {
  const purpose = await tx.purpose.findFirst({ where: { id: input.purposeId, versionId: input.versionId } });
  return purpose ?? fail(404, "purpose_not_found", "This purpose is not part of this draft.");
}

async function touch(tx: Prisma.TransactionClient, versionId: string) {
  await tx.agreementVersion.update({ where: { id: versionId }, data: { updatedAt: now() } });
}
