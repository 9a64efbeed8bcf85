// Limits on Markdown we render, checked before the parser sees the text.
// The parser (micromark) is super-linear on a few shapes: 10,000 nested list
// or quote markers on one line took minutes or overflowed the stack, and
// 40,000 unclosed link destinations `[a](` took 48 s. These checks refuse
// those shapes in one linear pass with an error that names the line; the
// worker's time limit (lib/agreements/render/pool.ts) catches anything else.
// Pure: the editor, the import CLI and the worker share it.

export interface RenderLimits {
  /** Largest input, in UTF-8 bytes. */
  maxBytes: number;
  /** Most list/quote containers opened on one line. */
  maxNesting: number;
  /** Most link destinations `](` left open in one block. */
  maxOpenLinks: number;
  /** Wall-clock budget of one render in the worker, in ms. */
  timeoutMs: number;
}

export const DEFAULT_RENDER_LIMITS: RenderLimits = {
  maxBytes: 1024 * 1024,
  maxNesting: 32,
  maxOpenLinks: 64,
  timeoutMs: 10_000,
};

export type RenderErrorCode = "too_large" | "too_deep" | "too_many_open_links" | "timeout" | "failed";

export interface RenderError {
  code: RenderErrorCode;
  message: string;
  /** 1-based line of the offending text, when known. */
  line?: number;
  /** The numbers in the message, for its translation by code (serverErrors: render_<code>). */
  values?: Record<string, number>;
}

// One container marker at the start of what is left of a line: a quote `>`,
// a bullet `-`/`*`/`+` or an ordered marker `1.`/`1)`, each followed by space or the line's end.
const CONTAINER = /^[ \t]{0,3}(?:>|[-*+]|\d{1,9}[.)])(?:[ \t]+|$)/;

export function checkMarkdownLimits(
  markdown: string,
  limits: RenderLimits = DEFAULT_RENDER_LIMITS,
): RenderError | null {
  const bytes = Buffer.byteLength(markdown, "utf8");
  if (bytes > limits.maxBytes) {
    return {
      code: "too_large",
      message: `The text is ${formatKiB(bytes)}; the limit is ${formatKiB(limits.maxBytes)}.`,
      values: { size: kib(bytes), limit: kib(limits.maxBytes) },
    };
  }
  const lines = markdown.split("\n");
  let openLinks = 0;
  for (let index = 0; index < lines.length; index++) {
    let rest = lines[index] ?? "";
    if (!rest.trim()) {
      openLinks = 0; // a blank line ends the block: unclosed links cannot span it
      continue;
    }
    let depth = 0;
    for (let match = CONTAINER.exec(rest); match && rest; match = CONTAINER.exec(rest)) {
      depth++;
      if (depth > limits.maxNesting) {
        return {
          code: "too_deep",
          line: index + 1,
          message: `Line ${index + 1} nests more than ${limits.maxNesting} lists or quotes.`,
          values: { line: index + 1, max: limits.maxNesting },
        };
      }
      rest = rest.slice(match[0].length);
    }
    for (let at = rest.indexOf("]("); at !== -1; at = rest.indexOf("](", at + 2)) {
      // Closing parentheses between this opening and the previous one close earlier links.
      openLinks++;
      if (openLinks > limits.maxOpenLinks) {
        return {
          code: "too_many_open_links",
          line: index + 1,
          message: `Line ${index + 1} leaves more than ${limits.maxOpenLinks} links without their closing ")".`,
          values: { line: index + 1, max: limits.maxOpenLinks },
        };
      }
      const next = rest.indexOf("](", at + 2);
      const segment = rest.slice(at + 2, next === -1 ? undefined : next);
      openLinks = Math.max(0, openLinks - countChar(segment, ")"));
    }
  }
  return null;
}

function countChar(text: string, char: string): number {
  let count = 0;
  for (let at = text.indexOf(char); at !== -1; at = text.indexOf(char, at + 1)) count++;
  return count;
}

/** KiB to show: one decimal under 10 KiB, whole above. */
export function kib(bytes: number): number {
  return bytes < 10 * 1024 ? Math.round(bytes / 102.4) / 10 : Math.round(bytes / 1024);
}

function formatKiB(bytes: number): string {
  return `${(bytes / 1024).toFixed(bytes < 10 * 1024 ? 1 : 0)} KiB`;
}
