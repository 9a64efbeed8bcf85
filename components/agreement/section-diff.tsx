import type { ReactNode } from "react";
import { getTranslations } from "next-intl/server";
import type { DiffBlock, DiffPart, DiffSection, SectionDiff } from "@/lib/agreements/diff";

// Underline and strike-through carry the meaning, the sign repeats it, colour only reinforces it.
const INS =
  "bg-green-100 text-green-950 underline decoration-2 underline-offset-2 before:mr-0.5 before:font-bold before:content-['+']";
const DEL =
  "bg-red-100 text-red-950 line-through decoration-2 before:mr-0.5 before:font-bold before:content-['−']";
const BLOCK_INS = "block border-l-4 border-green-700 bg-green-50 pl-3 no-underline";
const BLOCK_DEL = "block border-l-4 border-red-700 bg-red-50 pl-3 line-through decoration-red-800/60";
const BODY =
  "prose prose-slate prose-sm max-w-none prose-a:text-brand-700 [&_table]:table-fixed [&_table]:w-full [&_table]:my-0";

export type DiffViewMode = "unified" | "split";

type T = Awaited<ReturnType<typeof getTranslations<"versions.diff">>>;

interface SectionDiffViewProps {
  diff: SectionDiff;
  /** Accessible name of the diff region, e.g. "Changes from version 1 to version 2". */
  label: string;
  view: DiffViewMode;
  fromNumber: number | null;
  toNumber: number;
}

/**
 * The diff by section: headings stay headings, a changed section shows its
 * blocks (whole paragraphs added or removed, words inside changed ones), an
 * unchanged section folds into <details>. Side by side puts the older version
 * left and the newer right, block by block.
 */
export async function SectionDiffView({ diff, label, view, fromNumber, toNumber }: SectionDiffViewProps) {
  const t = await getTranslations("versions.diff");
  return (
    <section aria-label={label} className="space-y-3">
      <p className="text-sm text-slate-700" data-testid="diff-stats">
        {t("stats", { added: diff.wordsAdded, removed: diff.wordsRemoved })}{" "}
        {t("sectionStats", {
          changed: diff.sections.filter((s) => s.changed).length,
          total: diff.sections.length,
        })}
      </p>
      {diff.coarse ? <p className="text-sm text-amber-900">{t("coarse")}</p> : null}
      <LinkChanges diff={diff} t={t} />
      <p className="flex flex-wrap gap-4 text-xs text-slate-700" aria-hidden="true">
        <span>
          <ins className={INS}>{t("legendAdded")}</ins>
        </span>
        <span>
          <del className={DEL}>{t("legendRemoved")}</del>
        </span>
      </p>
      <div data-testid="version-diff" data-view={view} className="space-y-3">
        {view === "split" ? (
          <div
            className="grid grid-cols-2 gap-4 text-xs font-semibold uppercase tracking-wide text-slate-600"
            aria-hidden="true"
          >
            <span>{fromNumber === null ? t("nothingBefore") : t("column", { number: fromNumber })}</span>
            <span>{t("column", { number: toNumber })}</span>
          </div>
        ) : null}
        {diff.sections.map((section, index) => (
          <DiffSectionView key={index} section={section} index={index} view={view} t={t} />
        ))}
      </div>
    </section>
  );
}

function LinkChanges({ diff, t }: { diff: SectionDiff; t: T }) {
  if (diff.linkChanges.length === 0) return null;
  return (
    <div
      className="rounded-md bg-amber-50 p-3 text-sm text-amber-950 ring-1 ring-amber-200"
      data-testid="link-changes"
    >
      <p className="font-semibold">{t("links.heading")}</p>
      <ul className="mt-1 list-disc space-y-1 pl-5">
        {diff.linkChanges.map((link, index) => (
          <li key={index} className="break-all">
            {link.from && link.to
              ? t("links.changed", { text: link.text, from: link.from, to: link.to })
              : link.to
                ? t("links.added", { text: link.text, to: link.to })
                : t("links.removed", { text: link.text, from: link.from ?? "" })}
          </li>
        ))}
      </ul>
    </div>
  );
}

function DiffSectionView({
  section,
  index,
  view,
  t,
}: {
  section: DiffSection;
  index: number;
  view: DiffViewMode;
  t: T;
}) {
  const title = section.title || t("untitled");
  const body = (
    <div className="space-y-2">
      {section.blocks.map((block, n) => (
        <BlockRow key={n} block={block} view={view} t={t} />
      ))}
    </div>
  );
  if (!section.changed) {
    return (
      <details
        className="rounded-md bg-slate-50 px-4 py-2 ring-1 ring-slate-200"
        data-testid="diff-section-unchanged"
      >
        <summary className="cursor-pointer text-sm font-medium text-slate-700">
          {t("unchangedSection", { title })}
        </summary>
        <div className="mt-3 space-y-2">
          {section.heading ? <BlockRow block={section.heading} view={view} t={t} /> : null}
          {body}
        </div>
      </details>
    );
  }
  return (
    <section
      aria-label={title}
      id={`diff-section-${index}`}
      className="space-y-2 rounded-md bg-white p-4 ring-1 ring-slate-200 sm:p-6"
      data-testid="diff-section-changed"
    >
      {section.heading ? <BlockRow block={section.heading} view={view} t={t} /> : null}
      {body}
    </section>
  );
}

function BlockRow({ block, view, t }: { block: DiffBlock; view: DiffViewMode; t: T }) {
  if (view === "unified") return <Block block={block} side="both" t={t} />;
  return (
    <div className="grid grid-cols-2 gap-4">
      <div>{block.op === "added" ? null : <Block block={block} side="old" t={t} />}</div>
      <div>{block.op === "removed" ? null : <Block block={block} side="new" t={t} />}</div>
    </div>
  );
}

/**
 * The document's headings sit one level below the page's own ("Text changes" is an h2), so the page
 * outline stays whole: h1 → h2, h2 → h3 ... (h6 stays h6). They stay headings.
 */
function demote(kind: string): string {
  const level = /^h([1-6])$/.exec(kind)?.[1];
  return level ? `h${Math.min(6, Number(level) + 1)}` : kind;
}

/** Wraps a list item or table row so the fragment is valid HTML on its own. */
function wrap(kind: string, html: string): string {
  const heading = demote(kind);
  if (heading !== kind)
    return html.replace(/^<h[1-6]>/, `<${heading}>`).replace(/<\/h[1-6]>$/, `</${heading}>`);
  if (kind.startsWith("li:")) return `<${kind.slice(3)}>${html}</${kind.slice(3)}>`;
  if (kind.startsWith("tr:")) return `<table><${kind.slice(3)}>${html}</${kind.slice(3)}></table>`;
  return html;
}

function Html({ kind, html }: { kind: string; html: string }) {
  // Sanitised by rehype-sanitize when the diff was computed (lib/agreements/diff.ts).
  return <div className={BODY} dangerouslySetInnerHTML={{ __html: wrap(kind, html) }} />;
}

function Block({ block, side, t }: { block: DiffBlock; side: "old" | "new" | "both"; t: T }) {
  if (block.op !== "changed") return <WholeBlock block={block} t={t} />;
  const keep = (part: DiffPart) =>
    side === "both" ||
    part.kind === "same" ||
    (side === "old" ? part.kind === "removed" : part.kind === "added");
  const words = (parts: DiffPart[]) =>
    parts.filter(keep).map((part, n) => <Part key={n} part={part} t={t} />);
  return (
    <div className={`${BODY} border-l-4 border-amber-500 pl-3`} data-testid="diff-block-changed">
      <ChangedElement kind={block.kind}>
        {block.cells ? (
          block.cells.map((cell, n) => (
            <Cell key={n} header={block.kind === "tr:thead"}>
              {words(cell)}
            </Cell>
          ))
        ) : block.kind.startsWith("tr:") ? (
          // Rows with a different number of cells: the row's words in one cell.
          <Cell header={false}>{words(block.parts)}</Cell>
        ) : (
          words(block.parts)
        )}
      </ChangedElement>
    </div>
  );
}

function WholeBlock({ block, t }: { block: Exclude<DiffBlock, { op: "changed" }>; t: T }) {
  if (block.op === "same") return <Html kind={block.kind} html={block.html} />;
  if (block.op === "added")
    return (
      <ins className={BLOCK_INS} data-testid="diff-block-added">
        <span className="sr-only">{t("srAddedStart")}</span>
        <Html kind={block.kind} html={block.html} />
        <span className="sr-only">{t("srEnd")}</span>
      </ins>
    );
  return (
    <del className={BLOCK_DEL} data-testid="diff-block-removed">
      <span className="sr-only">{t("srRemovedStart")}</span>
      <Html kind={block.kind} html={block.html} />
      <span className="sr-only">{t("srEnd")}</span>
    </del>
  );
}

function Cell({ header, children }: { header: boolean; children: ReactNode }) {
  return header ? (
    <th className="whitespace-pre-line">{children}</th>
  ) : (
    <td className="whitespace-pre-line">{children}</td>
  );
}

/** A changed block keeps its element: a heading stays a heading (demoted one level), a list item a list item. */
function ChangedElement({ kind, children }: { kind: string; children: ReactNode }) {
  switch (demote(kind)) {
    case "h1":
      return <h1>{children}</h1>;
    case "h2":
      return <h2>{children}</h2>;
    case "h3":
      return <h3>{children}</h3>;
    case "h4":
      return <h4>{children}</h4>;
    case "h5":
      return <h5>{children}</h5>;
    case "h6":
      return <h6>{children}</h6>;
    case "li:ul":
      return (
        <ul>
          <li className="whitespace-pre-line">{children}</li>
        </ul>
      );
    case "li:ol":
      return (
        <ol>
          <li className="whitespace-pre-line">{children}</li>
        </ol>
      );
    case "tr:thead":
      return (
        <table>
          <thead>
            <tr>{children}</tr>
          </thead>
        </table>
      );
    case "tr:tbody":
      return (
        <table>
          <tbody>
            <tr>{children}</tr>
          </tbody>
        </table>
      );
    case "blockquote":
      return <blockquote className="whitespace-pre-line">{children}</blockquote>;
    case "pre":
      return <pre>{children}</pre>;
    default:
      return <p className="whitespace-pre-line">{children}</p>;
  }
}

function Part({ part, t }: { part: DiffPart; t: T }) {
  if (part.kind === "same") return <span>{part.text}</span>;
  if (part.kind === "added")
    return (
      <ins className={INS}>
        <span className="sr-only">{t("srAddedStart")}</span>
        {part.text}
        <span className="sr-only">{t("srEnd")}</span>
      </ins>
    );
  return (
    <del className={DEL}>
      <span className="sr-only">{t("srRemovedStart")}</span>
      {part.text}
      <span className="sr-only">{t("srEnd")}</span>
    </del>
  );
}
