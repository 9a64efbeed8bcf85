// One file of an imported history: YAML front matter between `---` lines,
// then the Markdown text. The front matter is parsed with `yaml` (YAML 1.2
// core schema: `2022-09-01` stays a string, so dates are never shifted by a
// time zone) and validated with zod; errors name the field.
import { parse as parseYaml } from "yaml";
import { z } from "zod";

const isoDate = z
  .string({ error: "Write the date as YYYY-MM-DD." })
  .regex(/^\d{4}-\d{2}-\d{2}$/, { error: "Write the date as YYYY-MM-DD.", abort: true })
  .refine((value) => new Date(`${value}T00:00:00Z`).toISOString().startsWith(value), {
    error: "Not a real calendar date.",
  });

const purposeSchema = z.strictObject({
  key: z
    .string()
    .regex(/^[a-z][a-z0-9-]{1,47}$/, { error: "Use 2–48 lower-case letters, digits or hyphens." }),
  name: z.string().trim().min(1).max(120),
  description: z.string().trim().min(1).max(2000),
  basic: z.boolean().default(false),
  dpvTerm: z
    .string()
    .regex(/^dpv:[A-Za-z][A-Za-z0-9]*$/)
    .nullable()
    .default(null),
});

export const frontMatterSchema = z.strictObject({
  effective: isoDate,
  lastUpdated: isoDate.optional(),
  title: z.string().trim().min(1).max(200).optional(),
  label: z.string().trim().min(1).max(40).optional(),
  material: z.boolean({ error: "material is true or false." }).default(false),
  summary: z.string().trim().max(2000).optional(),
  /** The purposes this version declares; absent: those of the version before it. */
  purposes: z.array(purposeSchema).optional(),
});

export type FrontMatter = z.infer<typeof frontMatterSchema>;
export type ImportedPurpose = z.infer<typeof purposeSchema>;

export type ParsedFile =
  { ok: true; frontMatter: FrontMatter; body: string } | { ok: false; errors: string[] };

const FENCE = /^---[ \t]*\n([\s\S]*?)\n---[ \t]*(?:\n|$)/;

/** Splits and validates a file's text (line endings already normalised to LF). */
export function parseHistoryFile(text: string): ParsedFile {
  const match = FENCE.exec(text.replace(/^\uFEFF/, ""));
  if (!match) return { ok: false, errors: ["No YAML front matter: the file must start with a line `---`."] };
  let raw: unknown;
  try {
    raw = parseYaml(match[1] ?? "");
  } catch (error) {
    return {
      ok: false,
      errors: [`Front matter is not valid YAML: ${error instanceof Error ? error.message : String(error)}`],
    };
  }
  const parsed = frontMatterSchema.safeParse(raw ?? {});
  if (!parsed.success) {
    return {
      ok: false,
      errors: parsed.error.issues.map(
        (issue) => `${issue.path.join(".") || "front matter"}: ${issue.message}`,
      ),
    };
  }
  const body = text
    .replace(/^\uFEFF/, "")
    .slice(match[0].length)
    .replace(/^\n+/, "");
  if (!body.trim()) return { ok: false, errors: ["The agreement text after the front matter is empty."] };
  return { ok: true, frontMatter: parsed.data, body };
}
