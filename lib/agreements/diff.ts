// Word-by-word diff of two agreement versions, on the visible text (what a
// reader sees), so Markdown syntax changes that alter nothing visible are not
// reported and hostile markup never reaches the diff.
import { diffWords } from "diff";
import { markdownToPlainText } from "@/lib/agreements/markdown";

export type DiffPart = { kind: "same" | "added" | "removed"; text: string };

export interface AgreementDiff {
  parts: DiffPart[];
  wordsAdded: number;
  wordsRemoved: number;
}

const countWords = (text: string) => text.split(/\s+/).filter(Boolean).length;

export function diffAgreementText(fromMarkdown: string, toMarkdown: string): AgreementDiff {
  const changes = diffWords(markdownToPlainText(fromMarkdown), markdownToPlainText(toMarkdown));
  const parts: DiffPart[] = [];
  let wordsAdded = 0;
  let wordsRemoved = 0;
  for (const change of changes) {
    const kind = change.added ? "added" : change.removed ? "removed" : "same";
    if (kind === "added") wordsAdded += countWords(change.value);
    if (kind === "removed") wordsRemoved += countWords(change.value);
    const last = parts.at(-1);
    if (last && last.kind === kind) last.text += change.value;
    else parts.push({ kind, text: change.value });
  }
  return { parts, wordsAdded, wordsRemoved };
}
