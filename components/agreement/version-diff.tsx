import { getTranslations } from "next-intl/server";
import type { AgreementDiff } from "@/lib/agreements/diff";

// Underline and strike-through carry the meaning, the sign repeats it, colour only reinforces it.
const INS =
  "bg-green-100 text-green-950 underline decoration-2 underline-offset-2 before:mr-0.5 before:font-bold before:content-['+']";
const DEL =
  "bg-red-100 text-red-950 line-through decoration-2 before:mr-0.5 before:font-bold before:content-['−']";

interface VersionDiffProps {
  diff: AgreementDiff;
  /** Accessible name of the diff region, e.g. "Changes from version 1 to version 2". */
  label: string;
}

/**
 * Insertions and deletions are marked by more than colour: <ins>/<del>
 * (underline / strike-through), a visible +/− sign, and words for screen
 * readers announcing where each change starts and ends.
 */
export async function VersionDiff({ diff, label }: VersionDiffProps) {
  const t = await getTranslations("versions.diff");
  return (
    <section aria-label={label} className="space-y-3">
      <p className="text-sm text-slate-700" data-testid="diff-stats">
        {t("stats", { added: diff.wordsAdded, removed: diff.wordsRemoved })}
      </p>
      <p className="flex flex-wrap gap-4 text-xs text-slate-700" aria-hidden="true">
        <span>
          <ins className={INS}>{t("legendAdded")}</ins>
        </span>
        <span>
          <del className={DEL}>{t("legendRemoved")}</del>
        </span>
      </p>
      <div
        data-testid="version-diff"
        className="whitespace-pre-wrap rounded-md bg-white p-4 text-sm leading-7 text-slate-900 ring-1 ring-slate-200 sm:p-6"
      >
        {diff.parts.map((part, index) =>
          part.kind === "same" ? (
            <Unchanged
              key={index}
              text={part.text}
              first={index === 0}
              last={index === diff.parts.length - 1}
              summary={t}
            />
          ) : part.kind === "added" ? (
            <ins key={index} className={INS}>
              <span className="sr-only">{t("srAddedStart")}</span>
              {part.text}
              <span className="sr-only">{t("srEnd")}</span>
            </ins>
          ) : (
            <del key={index} className={DEL}>
              <span className="sr-only">{t("srRemovedStart")}</span>
              {part.text}
              <span className="sr-only">{t("srEnd")}</span>
            </del>
          ),
        )}
      </div>
    </section>
  );
}

const CONTEXT_LINES = 2;

/** Long unchanged stretches fold away (still one click from being read), so the changes stand out. */
function Unchanged({
  text,
  first,
  last,
  summary,
}: {
  text: string;
  first: boolean;
  last: boolean;
  summary: Awaited<ReturnType<typeof getTranslations<"versions.diff">>>;
}) {
  const lines = text.split("\n");
  const head = first ? 0 : CONTEXT_LINES;
  const tail = last ? 0 : CONTEXT_LINES;
  if (lines.length <= head + tail + 3) return <span>{text}</span>;
  const hidden = lines.slice(head, lines.length - tail);
  return (
    <>
      <span>{lines.slice(0, head).join("\n") + (head ? "\n" : "")}</span>
      <details className="my-1 rounded bg-slate-50 px-2 text-slate-700">
        <summary className="cursor-pointer text-xs font-medium text-slate-700">
          {summary("unchangedLines", { count: hidden.length })}
        </summary>
        <span>{hidden.join("\n")}</span>
      </details>
      <span>{(tail ? "\n" : "") + lines.slice(lines.length - tail).join("\n")}</span>
    </>
  );
}
