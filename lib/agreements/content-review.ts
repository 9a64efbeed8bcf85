import "server-only";
// The content checks of lib/agreements/import/content-warnings.ts for the
// admin pages: raised when a draft or a translation is saved, on the review
// page, and (for bidi control characters) enforced at publish. Parsing runs in
// the render worker; the bidi scan at publish is one regex pass, cheap enough
// inside the publish transaction.
import { prisma } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import { getSettings } from "@/lib/settings";
import { agreementBodySha256 } from "@/lib/agreements/notice-hash";
import type { ContentWarning } from "@/lib/agreements/import/content-warnings";
import { findBidiControls } from "@/lib/agreements/render/bidi";
import { checkContent } from "@/lib/agreements/render/pool";

export interface TextReview {
  /** null for the version's own (authoritative) text, else the translation's language. */
  locale: string | null;
  /** Warnings about the body (bidi controls in the title are one more, `title: true`). */
  warnings: ContentWarning[];
  /** Bidi control characters in the title. */
  titleBidi: number;
  /** The body could not be checked (too large, too deep, timeout): the render error's message. */
  error: string | null;
}

interface Text {
  locale: string | null;
  title: string;
  bodyMarkdown: string;
}

/**
 * The warnings for one text. `previousBodySha256`: the same language's text of
 * the latest published version, to flag an unchanged text.
 */
export async function reviewText(text: Text, previousBodySha256: string | null): Promise<TextReview> {
  const checked = await checkContent(text.bodyMarkdown, {
    baseUrl: getSettings().baseUrl,
    previousBodySha256,
    bodySha256: agreementBodySha256(text.bodyMarkdown),
  });
  return {
    locale: text.locale,
    warnings: checked.ok ? checked.value : [],
    titleBidi: findBidiControls(text.title).length,
    error: checked.ok ? null : checked.error.message,
  };
}

/** Whether a review has anything to show. */
export function hasFindings(review: TextReview): boolean {
  return review.warnings.length > 0 || review.titleBidi > 0 || review.error !== null;
}

/** The texts a version publishes: its own and its translations, with the latest published ones to compare. */
async function textsOf(versionId: string) {
  const [version, latest] = await Promise.all([
    prisma.agreementVersion.findUnique({
      where: { id: versionId },
      select: {
        title: true,
        bodyMarkdown: true,
        translations: {
          select: { locale: true, title: true, bodyMarkdown: true },
          orderBy: { locale: "asc" },
        },
      },
    }),
    prisma.agreementVersion.findFirst({
      where: { publishedAt: { not: null }, id: { not: versionId } },
      orderBy: { number: "desc" },
      select: { bodySha256: true, translations: { select: { locale: true, bodySha256: true } } },
    }),
  ]);
  return { version, latest };
}

/** Every text of a draft (its own and its translations) checked, for the review page. */
export async function reviewVersionContent(versionId: string): Promise<TextReview[]> {
  const { version, latest } = await textsOf(versionId);
  if (!version) return [];
  return Promise.all([
    reviewText(
      { locale: null, title: version.title, bodyMarkdown: version.bodyMarkdown },
      latest?.bodySha256 ?? null,
    ),
    ...version.translations.map((t) =>
      reviewText(
        { locale: t.locale, title: t.title, bodyMarkdown: t.bodyMarkdown },
        latest?.translations.find((p) => p.locale === t.locale)?.bodySha256 ?? null,
      ),
    ),
  ]);
}

/** A translation just saved, checked against the latest published version's text in its language. */
export async function reviewTranslation(
  versionId: string,
  text: { locale: string; title: string; bodyMarkdown: string },
): Promise<TextReview> {
  const latest = await prisma.agreementTranslation.findFirst({
    where: { locale: text.locale, publishedAt: { not: null }, versionId: { not: versionId } },
    orderBy: { version: { number: "desc" } },
    select: { bodySha256: true },
  });
  return reviewText(text, latest?.bodySha256 ?? null);
}

/** A draft's own text just saved, checked against the latest published version's. */
export async function reviewDraftText(
  versionId: string,
  text: { title: string; bodyMarkdown: string },
): Promise<TextReview> {
  const latest = await prisma.agreementVersion.findFirst({
    where: { publishedAt: { not: null }, id: { not: versionId } },
    orderBy: { number: "desc" },
    select: { bodySha256: true },
  });
  return reviewText({ locale: null, ...text }, latest?.bodySha256 ?? null);
}

// ---------------------------------------------------------------------------
// At publish

export interface BidiFinding {
  /** null: the version's own text; else the translation's language. */
  locale: string | null;
  field: "title" | "body";
  count: number;
  /** e.g. ["U+202E"], distinct, in order of appearance. */
  codePoints: string[];
}

/** Bidi control characters in a title and a body. */
export function bidiFindings(text: Text): BidiFinding[] {
  const findings: BidiFinding[] = [];
  for (const field of ["title", "body"] as const) {
    const found = findBidiControls(field === "title" ? text.title : text.bodyMarkdown);
    if (found.length > 0) {
      findings.push({
        locale: text.locale,
        field,
        count: found.length,
        codePoints: [...new Set(found.map((c) => c.codePoint))],
      });
    }
  }
  return findings;
}

/** The bidi control characters in everything a draft publishes: its own text and its translations. */
export async function draftBidiFindings(
  tx: Prisma.TransactionClient,
  draft: { id: string; title: string; body_markdown: string },
): Promise<BidiFinding[]> {
  const translations = await tx.agreementTranslation.findMany({
    where: { versionId: draft.id },
    select: { locale: true, title: true, bodyMarkdown: true },
    orderBy: { locale: "asc" },
  });
  return [
    ...bidiFindings({ locale: null, title: draft.title, bodyMarkdown: draft.body_markdown }),
    ...translations.flatMap((t) => bidiFindings(t)),
  ];
}

/** How many bidi control characters a draft's texts hold (a regex pass, no parsing: the review page's form). */
export async function countDraftBidiControls(versionId: string): Promise<number> {
  const version = await prisma.agreementVersion.findUnique({
    where: { id: versionId },
    select: {
      title: true,
      bodyMarkdown: true,
      translations: { select: { title: true, bodyMarkdown: true } },
    },
  });
  if (!version) return 0;
  return [version, ...version.translations]
    .flatMap((text) => bidiFindings({ locale: null, ...text }))
    .reduce((sum, f) => sum + f.count, 0);
}

/** The field error of a publish that has bidi controls and no confirmation (pages word it from the catalogue). */
export function bidiRefusal(findings: readonly BidiFinding[]): string {
  const total = findings.reduce((sum, f) => sum + f.count, 0);
  const where = findings
    .map((f) => `${f.locale ? `the ${f.locale} translation's` : "the"} ${f.field} (${f.count})`)
    .join(", ");
  return `The text contains ${total} Unicode bidirectional control character(s), in ${where}, which can make it display in an order other than the one stored. Remove them, or confirm that they are intended.`;
}
