import "server-only";
import { prisma } from "@/lib/db";
import { now } from "@/lib/clock";
import { getSettings } from "@/lib/settings";
import { dateIn, startOfDate } from "@/lib/settings/calendar";
import { recordAudit } from "@/lib/audit-log/record-audit";
import { purposeNoticeSha256 } from "@/lib/agreements/notice-hash";
import { contentWarnings, type ContentWarning } from "@/lib/agreements/import/content-warnings";
import type { HistoryFile } from "@/lib/agreements/import/read-history";
import type { Prisma } from "@/lib/generated/prisma/client";
import { storeRenderingsOfRun } from "@/lib/agreements/render/store";

export interface ImportPlanEntry {
  file: string;
  action: "import" | "skip";
  /** The number it gets (import) or already has (skip). */
  number: number;
  effective: string;
  label: string | null;
  material: boolean;
  warnings: ContentWarning[];
}

export type ImportOutcome =
  | {
      ok: true;
      dryRun: boolean;
      entries: ImportPlanEntry[];
      imported: number;
      skipped: number;
      /** Ids of the versions imported by this run, in number order. */
      versionIds: string[];
      /** Imported versions whose HTML was rendered and stored (the rest render on first read). */
      rendered: number;
    }
  | { ok: false; errors: { file: string; errors: string[] }[] };

export interface ImportOptions {
  dryRun?: boolean;
  at?: Date;
  /** Who ran it, for the audit log ("cli" for npm run versions:import). */
  via: string;
  /** Render and diff the imported versions after the commit (default true); else on first read. */
  storeRenderings?: boolean;
}

interface PurposeRow {
  key: string;
  name: string;
  description: string;
  basic: boolean;
  dpvTerm: string | null;
}

// 66 versions of 50 KB go in one transaction: all or nothing.
const IMPORT_TIMEOUT_MS = 300_000;

/**
 * Imports a history of versions in date order as published, historical
 * versions: immutable like any published version, but they queue no
 * notifications and ask nobody to consent again (reconsent-rules.ts). A file
 * already imported (same SHA-256) is skipped, so running it twice is harmless.
 * Every refusal is decided before anything is written.
 */
export async function importVersions(
  files: readonly HistoryFile[],
  options: ImportOptions,
): Promise<ImportOutcome> {
  const at = options.at ?? now();
  const settings = getSettings();
  const today = dateIn(at, settings.timeZone);

  // Warnings parse every text: done before the transaction, which then only writes.
  const before = await prisma.agreementVersion.findFirst({
    where: { publishedAt: { not: null } },
    orderBy: { number: "desc" },
    select: { bodySha256: true },
  });
  let previousBody = before?.bodySha256 ?? null;
  const warningsOf = new Map<HistoryFile, ContentWarning[]>();
  for (const file of files) {
    warningsOf.set(
      file,
      contentWarnings(file.body, {
        baseUrl: settings.baseUrl,
        previousBodySha256: previousBody,
        bodySha256: file.bodySha256,
      }),
    );
    previousBody = file.bodySha256;
  }

  const outcome = await prisma.$transaction(
    async (tx) => {
      // The same lock as publishing: numbers and "in order" see each other.
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('accord:publish-version'))`;
      const known = new Map(
        (
          await tx.agreementVersion.findMany({
            where: { importSha256: { in: files.map((f) => f.sha256) } },
            select: { importSha256: true, number: true },
          })
        ).map((row) => [row.importSha256, row.number ?? 0]),
      );
      const latest = await tx.agreementVersion.findFirst({
        where: { publishedAt: { not: null } },
        orderBy: { number: "desc" },
        select: {
          number: true,
          effectiveAt: true,
          purposes: {
            orderBy: { position: "asc" },
            select: { key: true, name: true, description: true, basic: true, dpvTerm: true },
          },
        },
      });

      const errors: { file: string; errors: string[] }[] = [];
      const entries: ImportPlanEntry[] = [];
      const toWrite: { file: HistoryFile; number: number; purposes: PurposeRow[]; id?: string }[] = [];
      let number = latest?.number ?? 0;
      let purposes: PurposeRow[] = latest?.purposes ?? [];
      const latestEffective = latest?.effectiveAt ? dateIn(latest.effectiveAt, settings.timeZone) : null;

      for (const file of files) {
        const fm = file.frontMatter;
        if (fm.purposes) purposes = fm.purposes;
        const warnings = warningsOf.get(file) ?? [];
        const existing = known.get(file.sha256);
        const common = {
          file: file.file,
          effective: fm.effective,
          label: fm.label ?? null,
          material: fm.material,
          warnings,
        };
        if (existing !== undefined) {
          entries.push({ ...common, action: "skip", number: existing });
          continue;
        }
        const problems: string[] = [];
        if (fm.effective > today)
          problems.push(
            `effective: ${fm.effective} is in the future (today is ${today}); publish upcoming versions from the admin pages.`,
          );
        if (latestEffective && fm.effective < latestEffective)
          problems.push(
            `effective: ${fm.effective} is before the latest published version (${latestEffective}); versions take effect in order.`,
          );
        if (fm.lastUpdated && fm.lastUpdated > fm.effective)
          problems.push(`lastUpdated: ${fm.lastUpdated} is after the effective date ${fm.effective}.`);
        if (problems.length > 0) {
          errors.push({ file: file.file, errors: problems });
          continue;
        }
        number += 1;
        toWrite.push({ file, number, purposes });
        entries.push({ ...common, action: "import", number });
      }
      if (errors.length > 0) return { ok: false, errors } satisfies ImportOutcome;
      const outcome = {
        ok: true as const,
        dryRun: options.dryRun ?? false,
        entries,
        imported: toWrite.length,
        skipped: entries.length - toWrite.length,
        versionIds: [] as string[],
        rendered: 0,
      };
      if (options.dryRun || toWrite.length === 0) return outcome;

      for (const item of toWrite) item.id = await writeVersion(tx, item, at, settings);
      await recordAudit(
        {
          actor: null,
          meta: null,
          action: "agreement.versions.imported",
          targetType: "agreement_version",
          details: {
            via: options.via,
            skipped: outcome.skipped,
            versions: toWrite.map(({ file, number }) => ({
              number,
              file: file.file,
              sha256: file.sha256,
              bodySha256: file.bodySha256,
              effective: file.frontMatter.effective,
              label: file.frontMatter.label ?? null,
              material: file.frontMatter.material,
            })),
          },
        },
        tx,
      );
      return { ...outcome, versionIds: toWrite.map((item) => item.id ?? "") };
    },
    { timeout: IMPORT_TIMEOUT_MS, maxWait: 30_000 },
  );
  if (!outcome.ok || options.storeRenderings === false) return outcome;
  return { ...outcome, rendered: await storeImportedRenderings(outcome.versionIds) };
}

async function writeVersion(
  tx: Prisma.TransactionClient,
  { file, number, purposes }: { file: HistoryFile; number: number; purposes: PurposeRow[] },
  at: Date,
  settings: ReturnType<typeof getSettings>,
) {
  const fm = file.frontMatter;
  // Purposes go in while the row is a draft; setting publishedAt freezes both (triggers).
  const draft = await tx.agreementVersion.create({
    data: {
      title: fm.title ?? settings.documentTitle,
      bodyMarkdown: file.body,
      bodySha256: file.bodySha256,
      createdAt: at,
      updatedAt: at,
      purposes: {
        create: purposes.map((p, position) => ({
          ...p,
          position,
          noticeSha256: purposeNoticeSha256(p),
        })),
      },
    },
    select: { id: true },
  });
  await tx.agreementVersion.update({
    where: { id: draft.id },
    data: {
      number,
      label: fm.label ?? null,
      historical: true,
      importSha256: file.sha256,
      material: fm.material,
      changeSummary: fm.summary ?? null,
      effectiveAt: startOfDate(fm.effective, settings.timeZone),
      lastUpdated: new Date(`${fm.lastUpdated ?? fm.effective}T00:00:00.000Z`),
      publishedAt: at,
      updatedAt: at,
    },
  });
  return draft.id;
}

/**
 * Renders and diffs imported versions once, in the render worker, after the
 * commit: the import transaction only writes. A failure is not lost: the
 * page renders (and stores) it on first read. One stretch of consecutive
 * versions per render thread, each text parsed once (storeRenderingsOfRun).
 */
export async function storeImportedRenderings(versionIds: readonly string[]): Promise<number> {
  return storeRenderingsOfRun(versionIds);
}
