// Reads a folder of history files (*.md with YAML front matter) and puts them
// in date order: effective date, then last-updated date, then file name.
import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { agreementBodySha256 } from "@/lib/agreements/notice-hash";
import { parseHistoryFile, type FrontMatter } from "@/lib/agreements/import/front-matter";

export interface HistoryFile {
  /** File name within the folder. */
  file: string;
  /** SHA-256 of the whole file (front matter and text): the import's idempotency key. */
  sha256: string;
  frontMatter: FrontMatter;
  body: string;
  bodySha256: string;
}

export interface HistoryFileError {
  file: string;
  errors: string[];
}

export async function readHistoryFolder(
  folder: string,
): Promise<{ files: HistoryFile[]; errors: HistoryFileError[] }> {
  const names = (await readdir(folder, { withFileTypes: true }))
    .filter((entry) => entry.isFile() && /\.(md|markdown)$/i.test(entry.name))
    .map((entry) => entry.name)
    .sort();
  const files: HistoryFile[] = [];
  const errors: HistoryFileError[] = [];
  for (const file of names) {
    const text = (await readFile(path.join(folder, file), "utf8")).replace(/\r\n?/g, "\n");
    const parsed = parseHistoryFile(text);
    if (!parsed.ok) {
      errors.push({ file, errors: parsed.errors });
      continue;
    }
    files.push({
      file,
      sha256: createHash("sha256").update(text).digest("hex"),
      frontMatter: parsed.frontMatter,
      body: parsed.body,
      bodySha256: agreementBodySha256(parsed.body),
    });
  }
  files.sort(
    (a, b) =>
      a.frontMatter.effective.localeCompare(b.frontMatter.effective) ||
      (a.frontMatter.lastUpdated ?? "").localeCompare(b.frontMatter.lastUpdated ?? "") ||
      a.file.localeCompare(b.file),
  );
  return { files, errors };
}
