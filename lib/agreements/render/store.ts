import "server-only";
// Stored renderings and diffs of published versions. Published versions are
// immutable, so their HTML is rendered once (at publish, or on first read if
// missing or made by an older renderer) and every view reads it back; the diff
// between consecutive versions is stored at publish, and any other pair is
// computed once, off the request thread, and cached here.
import { prisma } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import { fail, ok, type Result } from "@/lib/result";
import { SECTION_DIFF_FORMAT, type SectionDiff } from "@/lib/agreements/diff";
import type { TocEntry } from "@/lib/agreements/markdown";
import {
  diffMarkdown,
  renderAndDiffMarkdown,
  renderAndDiffSeries,
  renderMarkdown,
  renderThreads,
  type RenderError,
} from "@/lib/agreements/render/pool";

/** Bump when the renderer's output changes: stored HTML of an older renderer is re-rendered on read. */
export const RENDERER_VERSION = 2;

type Db = Prisma.TransactionClient | typeof prisma;

export interface StoredRendering {
  html: string;
  htmlSha256: string;
  toc: TocEntry[];
}

/**
 * What is rendered and diffed: a version's own text (by version id), or one of
 * its published translations (by translation id; docs/translations.md).
 */
interface VersionText {
  id: string;
  bodyMarkdown: string;
  kind?: "version" | "translation";
}

const renderingColumns = { renderer: true, html: true, htmlSha256: true, toc: true } as const;

/** The two tables of stored HTML, one row per text. */
const renderings = {
  find: (text: VersionText) =>
    text.kind === "translation"
      ? prisma.translationRendering.findUnique({
          where: { translationId: text.id },
          select: renderingColumns,
        })
      : prisma.agreementRendering.findUnique({ where: { versionId: text.id }, select: renderingColumns }),
  upsert: async (
    db: Db,
    text: VersionText,
    data: Omit<Prisma.AgreementRenderingCreateManyInput, "versionId">,
  ) => {
    if (text.kind === "translation") {
      await db.translationRendering.upsert({
        where: { translationId: text.id },
        create: { translationId: text.id, ...data },
        update: { ...data, renderedAt: new Date() },
      });
    } else {
      await db.agreementRendering.upsert({
        where: { versionId: text.id },
        create: { versionId: text.id, ...data },
        update: { ...data, renderedAt: new Date() },
      });
    }
  },
};

/** The two tables of stored diffs, one row per pair of texts in one language. */
const diffs = {
  find: (from: VersionText, to: VersionText) =>
    to.kind === "translation"
      ? prisma.translationDiff.findUnique({
          where: {
            fromTranslationId_toTranslationId: { fromTranslationId: from.id, toTranslationId: to.id },
          },
          select: { format: true, diff: true },
        })
      : prisma.agreementDiff.findUnique({
          where: { fromVersionId_toVersionId: { fromVersionId: from.id, toVersionId: to.id } },
          select: { format: true, diff: true },
        }),
  upsert: async (
    db: Db,
    from: VersionText,
    to: VersionText,
    data: { format: number; diff: Prisma.InputJsonValue },
  ) => {
    if (to.kind === "translation") {
      await db.translationDiff.upsert({
        where: { fromTranslationId_toTranslationId: { fromTranslationId: from.id, toTranslationId: to.id } },
        create: { fromTranslationId: from.id, toTranslationId: to.id, ...data },
        update: { ...data, computedAt: new Date() },
      });
    } else {
      await db.agreementDiff.upsert({
        where: { fromVersionId_toVersionId: { fromVersionId: from.id, toVersionId: to.id } },
        create: { fromVersionId: from.id, toVersionId: to.id, ...data },
        update: { ...data, computedAt: new Date() },
      });
    }
  },
};

function renderFailure(error: RenderError) {
  return fail(422, `render_${error.code}`, error.message, undefined, error.values);
}

async function renderAndStore(db: Db, version: VersionText): Promise<Result<StoredRendering>> {
  const rendered = await renderMarkdown(version.bodyMarkdown);
  if (!rendered.ok) return renderFailure(rendered.error);
  return storeRendering(db, version, rendered.value);
}

async function storeRendering(
  db: Db,
  version: VersionText,
  { html, htmlSha256, toc }: StoredRendering,
): Promise<Result<StoredRendering>> {
  const data = { renderer: RENDERER_VERSION, html, htmlSha256, toc: toc as unknown as Prisma.InputJsonValue };
  await renderings.upsert(db, version, data);
  return ok({ html, htmlSha256, toc });
}

async function diffAndStore(db: Db, from: VersionText, to: VersionText): Promise<Result<SectionDiff>> {
  const diffed = await diffMarkdown(from.bodyMarkdown, to.bodyMarkdown);
  if (!diffed.ok) return renderFailure(diffed.error);
  return storeDiff(db, from, to, diffed.value);
}

async function storeDiff(
  db: Db,
  from: VersionText,
  to: VersionText,
  diff: SectionDiff,
): Promise<Result<SectionDiff>> {
  const data = { format: SECTION_DIFF_FORMAT, diff: diff as unknown as Prisma.InputJsonValue };
  await diffs.upsert(db, from, to, data);
  return ok(diff);
}

/**
 * A text just published: its HTML and its diff from the text before it, from
 * one task in the render worker that parses and sanitises the text once (the
 * diff compares the same sanitised blocks the HTML is made of). If that task
 * fails, each is tried on its own, so a diff that overruns does not cost the
 * rendering.
 */
async function renderDiffAndStore(
  db: Db,
  text: VersionText,
  previous: VersionText | null,
): Promise<StoredAtPublish> {
  const both = await renderAndDiffMarkdown(text.bodyMarkdown, previous?.bodyMarkdown ?? null);
  if (!both.ok) {
    const [rendering, diff] = await Promise.all([
      renderAndStore(db, text),
      previous ? diffAndStore(db, previous, text) : Promise.resolve(null),
    ]);
    return { rendering, diff };
  }
  const { rendered, diff } = both.value;
  const [storedRendering, storedDiff] = await Promise.all([
    storeRendering(db, text, rendered),
    previous && diff ? storeDiff(db, previous, text, diff) : Promise.resolve(null),
  ]);
  return { rendering: storedRendering, diff: storedDiff };
}

export interface StoredAtPublish {
  rendering: Result<StoredRendering>;
  /** null for the first version (nothing to compare with). */
  diff: Result<SectionDiff> | null;
}

/**
 * Renders a version just published and stores its HTML, and the diff from the
 * previous published version (by number). Call it in the publish (or import)
 * transaction after the number is assigned. The work runs in the render
 * worker, so the event loop stays free; a failure is returned, not thrown:
 * the page renders it on first read instead.
 */
export async function storeRenderingAndDiff(db: Db, versionId: string): Promise<StoredAtPublish> {
  const version = await db.agreementVersion.findUniqueOrThrow({
    where: { id: versionId },
    select: { id: true, number: true, bodyMarkdown: true },
  });
  const previous =
    version.number && version.number > 1
      ? await db.agreementVersion.findFirst({
          where: { number: version.number - 1, publishedAt: { not: null } },
          select: { id: true, bodyMarkdown: true },
        })
      : null;
  const [stored] = await Promise.all([
    renderDiffAndStore(db, version, previous),
    storeTranslations(db, version.id, previous?.id ?? null),
  ]);
  return stored;
}

/**
 * Renders and diffs a run of versions just published one after another (an
 * import), in number order: the run is cut into one stretch per render
 * thread, and each stretch is one task, so every text is parsed once and the
 * threads work side by side. A stretch whose task fails is done version by
 * version (storeRenderingAndDiff). Returns how many renderings were stored.
 */
export async function storeRenderingsOfRun(versionIds: readonly string[]): Promise<number> {
  const versions = await prisma.agreementVersion.findMany({
    where: { id: { in: [...versionIds] }, publishedAt: { not: null } },
    orderBy: { number: "asc" },
    select: { id: true, number: true, bodyMarkdown: true },
  });
  const first = versions[0];
  if (!first?.number) return 0;
  const before =
    first.number > 1
      ? await prisma.agreementVersion.findFirst({
          where: { number: first.number - 1, publishedAt: { not: null } },
          select: { id: true, bodyMarkdown: true },
        })
      : null;
  const size = Math.ceil(versions.length / renderThreads());
  const stretches = Array.from({ length: Math.ceil(versions.length / size) }, (_, i) =>
    versions.slice(i * size, (i + 1) * size),
  );
  // The threads render side by side; the writes go one at a time. On the embedded database every
  // connection shares one session, and two connections' statements interleaved there fail
  // ("bind message supplies 10 parameters, but prepared statement "" requires 3").
  let writing: Promise<unknown> = Promise.resolve();
  const oneAtATime = <T>(write: () => Promise<T>): Promise<T> => {
    const next = writing.then(write);
    writing = next.catch(() => {});
    return next;
  };
  const counts = await Promise.all(
    stretches.map(async (stretch, i) => {
      const previous = i === 0 ? before : (stretches[i - 1]?.at(-1) ?? null);
      const series = await renderAndDiffSeries(
        stretch.map((v) => v.bodyMarkdown),
        previous?.bodyMarkdown ?? null,
      );
      return oneAtATime(async () => {
        let stored = 0;
        for (const [k, version] of stretch.entries()) {
          const done = series.ok ? series.value[k] : undefined;
          if (!done) {
            if ((await storeRenderingAndDiff(prisma, version.id)).rendering.ok) stored += 1;
            continue;
          }
          const from = k === 0 ? previous : (stretch[k - 1] ?? null);
          await storeRendering(prisma, version, done.rendered);
          if (from && done.diff) await storeDiff(prisma, from, version, done.diff);
          await storeTranslations(prisma, version.id, from?.id ?? null);
          stored += 1;
        }
        return stored;
      });
    }),
  );
  return counts.reduce((sum, n) => sum + n, 0);
}

/**
 * The same for the version's translations: each rendered, and diffed against
 * the previous version's translation into the same language. Failures are
 * left for the first read, as for the version's own text.
 */
async function storeTranslations(db: Db, versionId: string, previousId: string | null): Promise<void> {
  const translations = await db.agreementTranslation.findMany({
    where: {
      versionId: { in: previousId ? [versionId, previousId] : [versionId] },
      publishedAt: { not: null },
    },
    select: { id: true, versionId: true, locale: true, bodyMarkdown: true },
  });
  await Promise.all(
    translations
      .filter((t) => t.versionId === versionId)
      .map(async (t) => {
        const text = { id: t.id, bodyMarkdown: t.bodyMarkdown, kind: "translation" as const };
        const before = translations.find((p) => p.versionId === previousId && p.locale === t.locale);
        await renderDiffAndStore(
          db,
          text,
          before ? { id: before.id, bodyMarkdown: before.bodyMarkdown, kind: "translation" } : null,
        );
      }),
  );
}

// Concurrent first reads of the same rendering or diff share one computation.
const inFlight = new Map<string, Promise<Result<unknown>>>();

function once<T>(key: string, compute: () => Promise<Result<T>>): Promise<Result<T>> {
  const running = inFlight.get(key) as Promise<Result<T>> | undefined;
  if (running) return running;
  const started = compute().finally(() => inFlight.delete(key));
  inFlight.set(key, started);
  return started;
}

/** The stored HTML of a published version; rendered (in the worker) and stored if missing or stale. */
export async function getRendering(version: VersionText): Promise<Result<StoredRendering>> {
  const stored = await renderings.find(version);
  if (stored && stored.renderer === RENDERER_VERSION) {
    return ok({ html: stored.html, htmlSha256: stored.htmlSha256, toc: stored.toc as unknown as TocEntry[] });
  }
  return once(`render:${version.kind ?? "version"}:${version.id}`, () => renderAndStore(prisma, version));
}

/** The section diff of two published versions: stored, or computed once in the worker and cached. */
export async function getVersionDiff(from: VersionText, to: VersionText): Promise<Result<SectionDiff>> {
  const stored = await diffs.find(from, to);
  if (stored && stored.format === SECTION_DIFF_FORMAT) return ok(stored.diff as unknown as SectionDiff);
  return once(`diff:${to.kind ?? "version"}:${from.id}:${to.id}`, () => diffAndStore(prisma, from, to));
}
