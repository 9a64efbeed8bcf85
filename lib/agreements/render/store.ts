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
import { diffMarkdown, renderMarkdown, type RenderError } from "@/lib/agreements/render/pool";

/** Bump when the renderer's output changes: stored HTML of an older renderer is re-rendered on read. */
export const RENDERER_VERSION = 2;

type Db = Prisma.TransactionClient | typeof prisma;

export interface StoredRendering {
  html: string;
  htmlSha256: string;
  toc: TocEntry[];
}

interface VersionText {
  id: string;
  bodyMarkdown: string;
}

function renderFailure(error: RenderError) {
  return fail(422, `render_${error.code}`, error.message);
}

async function renderAndStore(db: Db, version: VersionText): Promise<Result<StoredRendering>> {
  const rendered = await renderMarkdown(version.bodyMarkdown);
  if (!rendered.ok) return renderFailure(rendered.error);
  const { html, htmlSha256, toc } = rendered.value;
  const data = { renderer: RENDERER_VERSION, html, htmlSha256, toc: toc as unknown as Prisma.InputJsonValue };
  await db.agreementRendering.upsert({
    where: { versionId: version.id },
    create: { versionId: version.id, ...data },
    update: { ...data, renderedAt: new Date() },
  });
  return ok({ html, htmlSha256, toc });
}

async function diffAndStore(db: Db, from: VersionText, to: VersionText): Promise<Result<SectionDiff>> {
  const diffed = await diffMarkdown(from.bodyMarkdown, to.bodyMarkdown);
  if (!diffed.ok) return renderFailure(diffed.error);
  const data = { format: SECTION_DIFF_FORMAT, diff: diffed.value as unknown as Prisma.InputJsonValue };
  await db.agreementDiff.upsert({
    where: { fromVersionId_toVersionId: { fromVersionId: from.id, toVersionId: to.id } },
    create: { fromVersionId: from.id, toVersionId: to.id, ...data },
    update: { ...data, computedAt: new Date() },
  });
  return ok(diffed.value);
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
  const [rendering, diff] = await Promise.all([
    renderAndStore(db, version),
    previous ? diffAndStore(db, previous, version) : Promise.resolve(null),
  ]);
  return { rendering, diff };
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
  const stored = await prisma.agreementRendering.findUnique({
    where: { versionId: version.id },
    select: { renderer: true, html: true, htmlSha256: true, toc: true },
  });
  if (stored && stored.renderer === RENDERER_VERSION) {
    return ok({ html: stored.html, htmlSha256: stored.htmlSha256, toc: stored.toc as unknown as TocEntry[] });
  }
  return once(`render:${version.id}`, () => renderAndStore(prisma, version));
}

/** The section diff of two published versions: stored, or computed once in the worker and cached. */
export async function getVersionDiff(from: VersionText, to: VersionText): Promise<Result<SectionDiff>> {
  const stored = await prisma.agreementDiff.findUnique({
    where: { fromVersionId_toVersionId: { fromVersionId: from.id, toVersionId: to.id } },
    select: { format: true, diff: true },
  });
  if (stored && stored.format === SECTION_DIFF_FORMAT) return ok(stored.diff as unknown as SectionDiff);
  return once(`diff:${from.id}:${to.id}`, () => diffAndStore(prisma, from, to));
}
